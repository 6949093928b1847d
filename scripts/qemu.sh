#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the SBM kernel in QEMU (TCG, 2 CPUs, by default QEMU's "max" CPU
# model, which has SMEP, SMAP, UMIP and LA57). Usage:
#   qemu.sh [--pti on|off] [--cpu MODEL] [--mode test|demo|bench|shell|cmd]
#           [--cmd 'command'] [--append 'params'] [--log FILE] [--gdb]
# The serial console goes to stdout (and to --log). --gdb waits for gdb
# on localhost:1234 ("target remote :1234" with out/src/vmlinux).
. "$(dirname "$0")/lib.sh"

# QEMU 7.2 (Debian 12) cannot emulate PCID under TCG; newer versions can.
cpu=${SBM_QEMU_CPU:-max,+smep,+smap}
pti=on mode=shell append= log= gdb= cmd=
while [ $# -gt 0 ]; do
	case "$1" in
	--pti) pti=$2; shift ;;
	--cpu) cpu=$2; shift ;;
	--mode) mode=$2; shift ;;
	--cmd) cmd=$2; mode=cmd; shift ;;
	--append) append="$append $2"; shift ;;
	--log) log=$2; shift ;;
	--gdb) gdb="-s -S" ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

kernel=$SRC/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel; run scripts/build.sh"
[ -f "$OUT/initramfs.cpio.gz" ] || die "no initramfs; run scripts/initramfs.sh"

params="console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 oops=panic"
params="$params pti=$pti sbm_mode=$mode loglevel=7"
[ -n "$cmd" ] && params="$params sbm_cmd=$(echo "$cmd" | tr ' ' '@')"
# KUnit suites run at boot only when testing.
[ "$mode" = test ] || params="$params kunit.enable=0"
params="$params $append"

# An interactive shell has no time limit; everything else gets 10 minutes.
limit=600
[ "$mode" = shell ] && limit=0
run() {
	timeout --foreground "${SBM_QEMU_TIMEOUT:-$limit}" \
		qemu-system-x86_64 -accel tcg,thread=${SBM_QEMU_TCG_THREAD:-single} -cpu "$cpu" -smp 2 -m 512M \
		-nographic -no-reboot -kernel "$kernel" \
		-initrd "$OUT/initramfs.cpio.gz" -append "$params" $gdb </dev/null
}
if [ -n "$log" ]; then
	run 2>&1 | tee "$log"
else
	run
fi
