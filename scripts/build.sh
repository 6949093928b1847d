#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the SBM kernel with ccache: tinyconfig, or Debian's
# own amd64 configuration with SBM_BASE_CONFIG=debian, then
# config/sbm.config and the fragments in SBM_EXTRA_CONFIG on top.
# SBM_MAKE_TARGETS overrides what is built (default: bzImage modules).
. "$(dirname "$0")/lib.sh"

base=${SBM_BASE_CONFIG:-tiny}
DEBIAN_CONFIG=${DEBIAN_CONFIG:-/usr/src/linux-config-6.12/config.amd64_none_amd64.xz}
cfgs=("$TOP/config/sbm.config")
# Paths in SBM_EXTRA_CONFIG are relative to the repository.
for f in ${SBM_EXTRA_CONFIG:-}; do cfgs+=("$(cd "$TOP" && realpath "$f")"); done
cfgstamp=$( (echo "$base"; cat "${cfgs[@]}" "$OUT/prepared.stamp") | sha256sum | cut -d' ' -f1)

if [ ! -f "$SRC/.config" ] || [ "$(cat "$OUT/config.stamp" 2>/dev/null)" != "$cfgstamp" ]; then
	msg "configuring ($base)"
	case "$base" in
	tiny)
		kmake -s tinyconfig >/dev/null ;;
	debian)
		[ -f "$DEBIAN_CONFIG" ] || die "$DEBIAN_CONFIG missing (linux-config-6.12)"
		xzcat "$DEBIAN_CONFIG" > "$SRC/.config"
		kmake -s olddefconfig >/dev/null ;;
	*)
		die "unknown SBM_BASE_CONFIG=$base" ;;
	esac
	(cd "$SRC" && KCONFIG_CONFIG=.config ./scripts/kconfig/merge_config.sh \
		-m .config "${cfgs[@]}" >/dev/null)
	kmake -s olddefconfig >/dev/null
	# Every option we ask for must have stuck.
	bad=0
	for f in "${cfgs[@]}"; do
		while read -r line; do
			case "$line" in
			CONFIG_*=*) grep -qxF "$line" "$SRC/.config" ||
				{ msg "config: $line did not stick"; bad=1; } ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }; opt=${opt%% *}
				! grep -q "^$opt=" "$SRC/.config" ||
				{ msg "config: $opt is still set"; bad=1; } ;;
			esac
		done < "$f"
	done
	[ $bad -eq 0 ] || [ -n "${SBM_ALLOW_CONFIG_MISMATCH:-}" ] || die "config mismatch"
	echo "$cfgstamp" > "$OUT/config.stamp"
fi

msg "building kernel (jobs=$JOBS)"
# The log is kept for scripts/buildcheck.sh: objtool must have nothing to say.
kmake ${SBM_MAKE_FLAGS:-} ${SBM_MAKE_TARGETS:-bzImage modules} 2>&1 | tee "$OUT/build.log"
# Out-of-tree modules need the symbol versions of the kernel, even when
# its own modules were not built (then Module.symvers is not rewritten,
# and would keep the versions of an earlier build).
case " ${SBM_MAKE_TARGETS:-modules} " in
*" modules "*) ;;
*) cp "$SRC/vmlinux.symvers" "$SRC/Module.symvers" ;;
esac
msg "built $(kmake -s kernelrelease)"
