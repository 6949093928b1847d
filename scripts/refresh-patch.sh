#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Developer helper: after editing upstream files in the git tree out/linux,
# write patches/NAME.patch anew as the diff from the pristine tree of the
# files it touches (and of any further FILES given).
#   refresh-patch.sh NAME [FILE...]
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: refresh-patch.sh NAME [FILE...]"
patch=$TOP/patches/$1.patch
shift
files=("$@")
[ -f "$patch" ] && mapfile -t -O "${#files[@]}" files < <(sed -n 's|^diff --git a/\([^ ]*\) .*|\1|p' "$patch")
[ ${#files[@]} -gt 0 ] || die "no files"
for f in "${files[@]}"; do
	git -C "$GIT_TREE" cat-file -e "pristine:$f" 2>/dev/null ||
		die "$f is not an upstream file"
done
git -C "$GIT_TREE" diff pristine -- $(printf '%s\n' "${files[@]}" | sort -u) > "$patch.tmp"
mv "$patch.tmp" "$patch"
msg "wrote $patch"
