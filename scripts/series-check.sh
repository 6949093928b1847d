#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./sbm.sh series-check: every commit of the series stands alone. Builds
# each commit of branch sbm in turn (pristine..sbm, or the range given) in
# a tree of its own, $OUT/series-check, incrementally and with ccache, with
# the test configuration; compiles the directories of the series' own C
# files again with W=1, where a warning in one of our files fails; runs
# checkpatch --strict on the commit's patch. Stops at the first commit that
# fails, and names it.
#
#   series-check.sh [RANGE]
. "$(dirname "$0")/lib.sh"

range=${1:-pristine..sbm}
g() { git -C "$GIT_TREE" "$@"; }
g rev-parse -q --verify refs/tags/pristine >/dev/null ||
	die "no git tree at $GIT_TREE (run ./sbm.sh build first)"

CHECK=$OUT/series-check
wt=$CHECK/linux
mkdir -p "$CHECK"
if [ ! -e "$wt/.git" ]; then
	g worktree prune
	g worktree add -q --detach "$wt" pristine
fi
python3 -c 'import ply' 2>/dev/null || export PATH=/usr/bin:$PATH

commits=$(g rev-list --reverse "$range")
total=$(echo "$commits" | wc -l)
n=0
start=$SECONDS
for c in $commits; do
	n=$((n + 1))
	subject=$(g log -1 --format=%s "$c")
	fail() { die "commit $n/$total $(g log -1 --format=%h "$c") \"$subject\": $*"; }
	msg "commit $n/$total: $subject"
	git -C "$wt" checkout -q -f --detach "$c"
	mkdir -p "$CHECK/src"
	rsync -rlc --exclude=/.git "$wt/" "$CHECK/src/"
	echo "$c" > "$CHECK/prepared.stamp"
	# Options that later commits add do not exist yet.
	SBM_OUT=$CHECK SBM_ALLOW_CONFIG_MISMATCH=1 "$TOP/scripts/build.sh" \
		> "$CHECK/build-$n.log" 2>&1 ||
		{ tail -20 "$CHECK/build-$n.log" >&2; fail "does not build (log: $CHECK/build-$n.log)"; }

	# W=1 over the directories of the C files that the series has added
	# so far; only warnings in those files count (upstream files next to
	# them have W=1 warnings of their own).
	ours=$(git -C "$wt" diff --diff-filter=A --name-only pristine HEAD -- '*.c' '*.h' '*.S')
	dirs=$(echo "$ours" | grep -E '\.(c|S)$' | grep -v '^tools/' |
	       xargs -r -n1 dirname | sort -u | sed 's|$|/|' || true)
	if [ -n "$dirs" ]; then
		SRC=$CHECK/src kmake W=1 $dirs > "$CHECK/w1-$n.log" 2>&1 ||
			fail "does not build with W=1 (log: $CHECK/w1-$n.log)"
		if grep -F -f <(echo "$ours") "$CHECK/w1-$n.log" | grep -q 'warning:'; then
			grep -F -f <(echo "$ours") "$CHECK/w1-$n.log" | grep 'warning:' >&2
			fail "W=1 warnings in our files (log: $CHECK/w1-$n.log)"
		fi
	fi

	if ! out=$(g format-patch -1 --stdout "$c" |
		   (cd "$wt" && ./scripts/checkpatch.pl --strict \
			--ignore FILE_PATH_CHANGES,CAMELCASE - 2>&1)); then
		echo "$out" >&2
		fail "checkpatch --strict"
	fi
	msg "  builds, W=1 clean, checkpatch clean ($((SECONDS - start)) s so far)"
done
msg "series check: all $total commits build on their own ($((SECONDS - start)) s)"
