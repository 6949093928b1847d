#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SandBox Mode developer entry point. Installs missing Debian packages.
#
#   ./sbm.sh demo            boot the SBM kernel and show a sandbox at work
#   ./sbm.sh test            KUnit + end-to-end tests, in three boots
#   ./sbm.sh debian-test     the same on Debian's own 6.12 amd64 config
#   ./sbm.sh build           prepare the tree and build the kernel
#   ./sbm.sh bench           boot and print sbm_call() costs
#   ./sbm.sh shell           boot to a shell on the serial console
#   ./sbm.sh run CMD [KO..]  boot with modules KO.. loaded and run CMD
#   ./sbm.sh module DIR      build the out-of-tree module in DIR
#   ./sbm.sh patches         emit the git format-patch series, checkpatch it
#   ./sbm.sh export          write branch sbm of out/linux back to patches/
#   ./sbm.sh series-check    build each commit of the series on its own
set -euo pipefail
cd "$(dirname "$0")"
S=scripts

build() {
	$S/deps.sh
	$S/prepare.sh
	$S/build.sh
}

cmd=${1:-help}
shift || true
case "$cmd" in
demo)
	build
	$S/example.sh build
	SBM_EXTRA_FILES="out/sbm_example/sbm_example.ko" $S/initramfs.sh
	$S/qemu.sh --mode demo --log out/demo.log | grep -v '^\[' ;;
test|check)
	exec $S/test.sh ;;
debian-test)
	# Debian's configuration with SandBox Mode and the test options on;
	# only the kernel image (and what out-of-tree modules need) is built,
	# not Debian's thousands of modules.
	export SBM_OUT=${SBM_OUT:-out/debian} SBM_BASE_CONFIG=debian
	export SBM_GIT_TREE=${SBM_GIT_TREE:-$PWD/out/linux}
	export SBM_MAKE_TARGETS=${SBM_MAKE_TARGETS:-bzImage modules_prepare}
	exec $S/test.sh ;;
build)
	build ;;
bench)
	build
	$S/example.sh build tests/sbm_bigtext
	SBM_EXTRA_FILES="out/sbm_bigtext/sbm_bigtext.ko out/sbm_bigtext/sbm_text0.ko" \
		$S/initramfs.sh
	$S/qemu.sh --mode bench --log out/bench.log | grep -v '^\[' ;;
shell)
	build
	$S/initramfs.sh
	$S/qemu.sh --mode shell ;;
run)
	[ $# -ge 1 ] || { echo "usage: $0 run 'command' [module.ko ...]" >&2; exit 2; }
	command=$1
	shift
	build
	SBM_EXTRA_FILES="$*" $S/initramfs.sh
	$S/qemu.sh --cmd "$command" --log out/run.log ;;
module)
	[ $# -eq 1 ] || { echo "usage: $0 module DIR" >&2; exit 2; }
	build
	$S/example.sh build "$1" ;;
patches)
	$S/deps.sh
	exec $S/patches.sh ;;
export)
	exec $S/export.sh ;;
series-check)
	build
	exec $S/series-check.sh "$@" ;;
*)
	awk 'NR > 2 && /^#/ { sub(/^# ?/, ""); print; next } NR > 2 { exit }' "$0"
	[ "$cmd" = help ] ;;
esac
