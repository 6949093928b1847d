#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build-time checks of sandbox code: objtool had no warning for the
# kernel (out/build.log of the last build), and building tests/sbm_bad, whose
# sandboxed functions reach outside the sandbox, must fail, and modpost
# must name each function and what it references. Prints TAP lines and
# "# buildcheck: N passed, N failed".
. "$(dirname "$0")/lib.sh"

[ -f "$SRC/Module.symvers" ] || die "build the kernel first"
dest=$OUT/sbm_bad
rm -rf "$dest"
mkdir -p "$dest"
cp "$TOP"/tests/sbm_bad/* "$dest/"
log=$dest/build.log
if kmake M="$dest" modules > "$log" 2>&1; then
	built=1
else
	built=0
fi

pass=0 fail=0 n=0
check() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}
has() { grep -qE "$1" "$log" && echo 1 || echo 0; }

warnings=$(grep -c 'objtool: ' "$OUT/build.log" 2>/dev/null || true)
check "$([ "${warnings:-0}" -eq 0 ] && echo 1 || echo 0)" \
	"objtool: ${warnings:-0} warnings in the last kernel build"
check $((1 - built)) "a module whose sandbox code reaches outside does not build"
# function | what it references | its section
while IFS='|' read -r func sym sec; do
	check "$(has "sandbox code $func\+0x[0-9a-f]+ \(\.sbm\.text\) references $sym \($sec\) outside the sandbox")" \
		"modpost: $func references $sym (${sec//\\/}), outside the sandbox"
done <<'LIST'
sbm_bad_calls_printk|_printk|undefined
sbm_bad_reads_global|[^ ]+|\.data
sbm_bad_memcmp|memcmp|undefined
sbm_bad_thunked|__fentry__|undefined
sbm_bad_thunked|__x86_return_thunk|undefined
LIST
echo "# buildcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
