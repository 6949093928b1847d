#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure (tinyconfig + config/sbm.config) and build the SBM kernel with
# ccache. Extra config fragments may be given in SBM_EXTRA_CONFIG.
. "$(dirname "$0")/lib.sh"

cfgs=("$TOP/config/sbm.config")
# Paths in SBM_EXTRA_CONFIG are relative to the repository.
for f in ${SBM_EXTRA_CONFIG:-}; do cfgs+=("$(cd "$TOP" && realpath "$f")"); done
cfgstamp=$(cat "${cfgs[@]}" "$OUT/prepared.stamp" | sha256sum | cut -d' ' -f1)

if [ ! -f "$SRC/.config" ] || [ "$(cat "$OUT/config.stamp" 2>/dev/null)" != "$cfgstamp" ]; then
	msg "configuring"
	kmake -s tinyconfig >/dev/null
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
kmake ${SBM_MAKE_FLAGS:-} bzImage modules 2>&1 | tee "$OUT/build.log"
msg "built $(kmake -s kernelrelease)"
