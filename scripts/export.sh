#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ./sbm.sh export: write branch sbm of the git tree (out/linux) back to
# patches/ as git format-patch output and patches/series, and print how
# the series changed since the last export (git range-diff).
# The branch must be committed: uncommitted changes are refused.
. "$(dirname "$0")/lib.sh"

g() { git -C "$GIT_TREE" "$@"; }

g rev-parse -q --verify refs/tags/pristine >/dev/null ||
	die "no git tree at $GIT_TREE (run ./sbm.sh build first)"
! tree_dirty ||
	die "$GIT_TREE has uncommitted changes or new files: commit them to the branch first"
[ "$(g symbolic-ref -q HEAD)" = refs/heads/sbm ] ||
	die "$GIT_TREE is not on branch sbm"
[ -z "$(g log --merges --oneline pristine..sbm)" ] || die "the series has merges"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# --zero-commit and no signature: a patch that did not change does not
# change in the repository either.
g format-patch -q --zero-commit --no-signature -N -o "$tmp" pristine..sbm
(cd "$tmp" && ls -- *.patch) > "$tmp/series"

if g rev-parse -q --verify refs/tags/sbm-series >/dev/null &&
   [ "$(g rev-parse sbm-series)" != "$(g rev-parse sbm)" ]; then
	msg "changes since the last export (git range-diff):"
	g --no-pager range-diff --no-color pristine..sbm-series pristine..sbm
else
	msg "first export, or no change since the last one"
fi

rm -f "$TOP"/patches/*.patch
cp "$tmp"/*.patch "$tmp/series" "$TOP/patches/"
g tag -f sbm-series sbm >/dev/null
# The branch is what patches/ now holds: scripts/prepare.sh must not make
# it anew.
series_stamp > "$(g rev-parse --absolute-git-dir)/sbm-series.stamp"
msg "exported $(wc -l < "$TOP/patches/series") patches to patches/ (git -C $TOP status patches)"
