#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Emit the series (branch sbm of the git tree) as git format-patch files
# with a cover letter (patches/cover-letter.txt) in out/patches, as it
# would be mailed, and check each with checkpatch.pl --strict. Fails if
# checkpatch reports anything.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/prepare.sh"
g() { git -C "$GIT_TREE" "$@"; }

rm -rf "$OUT/patches"
g config branch.sbm.description "$(cat "$TOP/patches/cover-letter.txt")"
g format-patch -q --cover-letter --cover-from-description=auto \
	--base=pristine -o "$OUT/patches" pristine..sbm
msg "series in $OUT/patches:"
ls "$OUT/patches" >&2

# checkpatch runs scripts/spdxcheck.py, which needs ply (python3-ply);
# prefer the system's python3 if the one first in PATH lacks it.
python3 -c 'import ply' 2>/dev/null || export PATH=/usr/bin:$PATH

bad=0
for p in "$OUT"/patches/0*.patch; do
	case "$p" in *0000-cover-letter.patch) continue ;; esac
	# In the tree, so that it knows its headers and SPDX identifiers.
	# The only CamelCase is the zstd API's own (ZSTD_error_*, cParams).
	if ! out=$(cd "$GIT_TREE" && ./scripts/checkpatch.pl --strict \
			--ignore FILE_PATH_CHANGES,CAMELCASE "$p" 2>&1); then
		bad=1
		echo "$out"
	else
		msg "checkpatch: $(basename "$p"): $(echo "$out" | tail -n 1)"
	fi
done
[ $bad -eq 0 ] || die "checkpatch found problems"
