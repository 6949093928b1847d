#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test run: install what is missing, prepare and build the
# kernel, boot it with pti=on, with pti=off and with sbm=weak, run the
# KUnit suites (at boot) and the end-to-end tests (from user space), and
# report.
# The last line is "N passed, N failed" over all of them.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/deps.sh"
"$TOP/scripts/prepare.sh"
"$TOP/scripts/build.sh"
"$TOP/scripts/example.sh" build
SBM_EXTRA_FILES="$OUT/sbm_example/sbm_example.ko ${SBM_EXTRA_FILES:-}" \
	"$TOP/scripts/initramfs.sh"

# Each boot: pti on and off with strong isolation, then sbm=weak.
boots=${SBM_BOOTS:-"pti=on pti=off pti=on,sbm=weak"}
total_pass=0 total_fail=0 total_skip=0
for boot in $boots; do
	params=${boot//,/ }
	pti=${params%% *}
	pti=${pti#pti=}
	extra=${params#pti=$pti}
	log=$OUT/test-${boot//[=,]/-}.log
	msg "booting with $params (log: $log)"
	"$TOP/scripts/qemu.sh" --mode test --pti "$pti" --append "$extra" \
		--log "$log" >/dev/null 2>&1 || true
	read -r kp kf ks ep ef < <(python3 "$TOP/scripts/results.py" "$log" \
		"$SRC/tools/testing/kunit/kunit.py")
	msg "$params: KUnit $kp passed, $kf failed, $ks skipped; e2e $ep passed, $ef failed"
	grep -E '^ *(\[[ .0-9]+\] +)*(    )*not ok|^not ok' "$log" | sed 's/^/  /' >&2 || true
	total_pass=$((total_pass + kp + ep))
	total_fail=$((total_fail + kf + ef))
	total_skip=$((total_skip + ks))
done
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
