#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test run: install what is missing, prepare and build the
# kernel, boot it once per configuration below, run the KUnit suites (at
# boot) and the end-to-end tests (from user space), and report.
# The last line is "N passed, N failed" over all of them.
#
# SBM_BOOTS selects boots by name, e.g. SBM_BOOTS="la57 weak".
#
# The "debug" boot runs a second kernel, built in $SBM_OUT/debug with
# config/debug.config on top (lockdep, KASAN, kmemleak, DEBUG_ENTRY, fault
# injection); its results count in the last line. It is left out when the
# kernel under test is already a debug or a Debian one. Beside the other
# boots, on the second CPU, a boot of the debug kernel that runs only the
# sbm_hostile suite ("debug-hostile") takes the rounds of the forged
# outputs that the debug boot leaves.
. "$(dirname "$0")/lib.sh"

# name | QEMU CPU model | kernel parameters | expected in the kernel log
BOOT_TABLE=(
	# Call depth tracking active (Skylake), PTI, 4-level paging; 100000
	# forged outputs per user (some 100 s). With KASAN a round costs 1.5
	# (SquashFS) to 13 ms (X.509): the debug boot runs rounds 0-39999,
	# debug-hostile the rest, in about as long as the other boots take.
	"stuff|Skylake-Client,+smep,+smap|pti=on spectre_v2=retpoline retbleed=stuff sbm_hostile_kunit.rounds=100000|callthunks: Setting up call depth tracking;sbm: strong isolation: 4-level page tables;FPU blocked;sbm: transition mitigations: fence-swapgs-kernel untrain-ret fill-rsb verw"
	# 5-level paging, SMEP/SMAP/UMIP, no speculation mitigations at all,
	# no tick on CPU 1 while one task runs there.
	"la57|max,+smep,+smap|pti=off mitigations=off nohz_full=1|sbm: strong isolation: 5-level page tables;FPU blocked;sbm: transition mitigations: none"
	# Weak isolation on a strong-capable machine.
	"weak|max,+smep,+smap,-la57|pti=on sbm=weak|sbm: SandBox Mode: weak isolation;sbm: transition mitigations: fence-swapgs-kernel fill-rsb"
)

if [ "${SBM_VARIANT:-}" = debug ]; then
	# The nested run of the debug boot, see the end of this script.
	BOOT_TABLE=(
		"debug|max,+smep,+smap,-la57|pti=on init_on_free=1 sbm_hostile_kunit.rounds=40000|sbm: strong isolation: 4-level page tables;FPU blocked;kmemleak: Kernel memory leak detector initialized;KernelAddressSanitizer initialized"
	)
fi
# The rounds of sbm_hostile that debug-hostile runs, beside the others.
HOSTILE_BOOT="debug-hostile|max,+smep,+smap,-la57|pti=on init_on_free=1 kunit.enable=1 kunit.filter_glob=sbm_hostile sbm_hostile_kunit.first_round=40000 sbm_hostile_kunit.rounds=100000|sbm: strong isolation: 4-level page tables;KernelAddressSanitizer initialized"
debug_boot=
case " ${SBM_BOOTS:-debug} " in *" debug "*) debug_boot=y ;; esac
case "${SBM_VARIANT:-}:${SBM_BASE_CONFIG:-tiny}:${SBM_EXTRA_CONFIG:-}" in
	debug:*|*:debian:*|*debug.config*) debug_boot= ;;
esac
debug_env=(SBM_VARIANT=debug SBM_OUT="$OUT/debug" SBM_GIT_TREE="$GIT_TREE"
	   SBM_QEMU_TIMEOUT="${SBM_QEMU_TIMEOUT:-1800}"
	   SBM_EXTRA_CONFIG="${SBM_EXTRA_CONFIG:-} config/debug.config")

"$TOP/scripts/deps.sh"
"$TOP/scripts/prepare.sh"
"$TOP/scripts/build.sh"
"$TOP/scripts/example.sh" build
"$TOP/scripts/example.sh" build "$TOP/tests/sbm_bigtext"
SBM_EXTRA_FILES="$OUT/sbm_example/sbm_example.ko $OUT/sbm_bigtext/sbm_bigtext.ko ${SBM_EXTRA_FILES:-}" \
	"$TOP/scripts/initramfs.sh"
[ -z "${SBM_BUILD_ONLY:-}" ] || exit 0

total_pass=0 total_fail=0 total_skip=0

# Count the results of boot $1 from its log $2, checking that the log has
# each of the ';'-separated lines $3; $4 is kunit-only for a boot that
# runs no end-to-end tests.
evaluate() {
	local name=$1 log=$2 expect=$3 kp kf ks ep ef es line lines
	read -r kp kf ks ep ef es < <(python3 "$TOP/scripts/results.py" "$log" \
		"$SRC/tools/testing/kunit/kunit.py" ${4:-})
	# The boot really had the configuration it stands for.
	IFS=';' read -r -a lines <<< "$expect"
	for line in "${lines[@]}"; do
		if grep -qF "$line" "$log"; then
			ep=$((ep + 1))
		else
			ef=$((ef + 1))
			msg "$name: the log lacks \"$line\""
		fi
	done
	# Nothing stalled, locked up or lost an NMI during the boot.
	if grep -qE 'rcu: INFO|self-detected stall|soft lockup|hard LOCKUP|NMI received for unknown reason|Possible timer handling issue|blocked for more than' "$log"; then
		ef=$((ef + 1))
		msg "$name: the log shows a stall, a lockup or an unknown NMI"
	else
		ep=$((ep + 1))
	fi
	msg "$name: KUnit $kp passed, $kf failed, $ks skipped; e2e $ep passed, $ef failed, $es skipped"
	grep -E '^ *(\[[ .0-9]+\] +)*(    )*not ok|^not ok' "$log" | sed 's/^/  /' >&2 || true
	total_pass=$((total_pass + kp + ep))
	total_fail=$((total_fail + kf + ef))
	total_skip=$((total_skip + ks + es))
}

# The debug kernel is built first, so that debug-hostile runs beside the
# other boots (QEMU's TCG runs each on one host CPU).
hostile_pid=
if [ -n "$debug_boot" ]; then
	msg "debug kernel: $OUT/debug (config/debug.config)"
	env "${debug_env[@]}" SBM_BUILD_ONLY=1 "$0" > "$OUT/test-debug-build.log" 2>&1 ||
		msg "debug: the debug kernel did not build (log: $OUT/test-debug-build.log)"
	IFS='|' read -r hname hcpu hparams hexpect <<< "$HOSTILE_BOOT"
	hlog=$OUT/debug/test-$hname.log
	msg "boot $hname (beside the others): -cpu $hcpu, $hparams (log: $hlog)"
	env "${debug_env[@]}" SBM_QEMU_TIMEOUT=3600 "$TOP/scripts/qemu.sh" \
		--mode cmd --cmd true --cpu "$hcpu" --pti on \
		--append "${hparams/pti=on/}" --log "$hlog" >/dev/null 2>&1 &
	hostile_pid=$!
fi

# Sandbox code that reaches outside the sandbox must not build.
if [ "${SBM_VARIANT:-}" != debug ]; then
	"$TOP/scripts/buildcheck.sh" > "$OUT/buildcheck.log" 2>&1 || true
	read -r bp bf < <(sed -n 's/^# buildcheck: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
		"$OUT/buildcheck.log")
	[ -n "${bp:-}" ] || { bp=0 bf=1; }
	msg "build checks: $bp passed, $bf failed (log: $OUT/buildcheck.log)"
	grep '^not ok' "$OUT/buildcheck.log" | sed 's/^/  /' >&2 || true
	total_pass=$((total_pass + bp))
	total_fail=$((total_fail + bf))
fi
for entry in "${BOOT_TABLE[@]}"; do
	IFS='|' read -r name cpu params expect <<< "$entry"
	case " ${SBM_BOOTS:-$name} " in *" $name "*) ;; *) continue ;; esac
	log=$OUT/test-$name.log
	msg "boot $name: -cpu $cpu, $params (log: $log)"
	pti=${params#*pti=}
	pti=${pti%% *}
	"$TOP/scripts/qemu.sh" --mode test --cpu "$cpu" --pti "$pti" \
		--append "${params/pti=$pti/}" --log "$log" >/dev/null 2>&1 || true
	evaluate "$name" "$log" "$expect"
done
if [ -n "$debug_boot" ]; then
	dlog=$OUT/test-debug-run.log
	env "${debug_env[@]}" SBM_BOOTS=debug "$0" > "$dlog" 2>&1 || true
	grep -E '^\[sbm\] (boot debug|debug:)|^  ' "$dlog" >&2 || true
	read -r dp df < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$dlog")
	[ -n "${dp:-}" ] || { dp=0 df=1; msg "debug: no result (log: $dlog)"; }
	ds=$(sed -n 's/^\[sbm\] \([0-9]*\) cases skipped.*/\1/p' "$dlog")
	total_pass=$((total_pass + dp))
	total_fail=$((total_fail + df))
	total_skip=$((total_skip + ${ds:-0}))
	msg "waiting for $hname"
	wait "$hostile_pid" || true
	SRC=$OUT/debug/src evaluate "$hname" "$hlog" "$hexpect" kunit-only
fi
msg "$total_skip cases skipped (they need another isolation level or option; see the logs)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
