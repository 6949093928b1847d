#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the kernel tree. The git tree $GIT_TREE (out/linux) holds the
# pristine Debian linux-source-6.12 as its commit "pristine" and the SBM
# series on top, as branch sbm: that branch is where the series is
# developed, and ./sbm.sh export writes it back to patches/.
#
# When patches/ changed since the branch was last made from it or
# exported to it (a fresh clone, a pull), the branch is made anew: the
# patches listed in patches/series, applied with git am onto pristine.
# That never discards work: a branch with commits or changes that were
# not exported is refused. Otherwise the branch is built as it is,
# uncommitted changes included.
#
# The build tree $SRC is then synced by content, so unchanged files keep
# their timestamps and incremental builds stay incremental.
. "$(dirname "$0")/lib.sh"

[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing (run scripts/deps.sh)"
[ -f "$SERIES" ] || die "$SERIES missing"
mkdir -p "$OUT"

g() { git -C "$GIT_TREE" "$@"; }

if ! g rev-parse -q --verify refs/tags/pristine >/dev/null 2>&1; then
	msg "unpacking $KSRC_TARBALL"
	rm -rf "$GIT_TREE" "$OUT/unpack"
	mkdir -p "$OUT/unpack"
	tar -C "$OUT/unpack" -xf "$KSRC_TARBALL"
	mv "$OUT/unpack"/linux-source-6.12 "$GIT_TREE"
	rmdir "$OUT/unpack"
	ver=$(make -s -C "$GIT_TREE" kernelversion)
	g init -q -b sbm
	g config user.name "SBM Developers"
	g config user.email "sbm-devel@example.org"
	g config core.autocrlf false
	g add -A -f .
	g commit -q -m "Linux $ver (Debian linux-source-6.12)"
	g tag pristine
	# Debian's tarball ships a .gitignore that ignores all: files that
	# the series adds are added with -f (git am does that).
fi

# Which series the branch was last made from or exported to.
series=$(series_stamp)
series_file=$(g rev-parse --absolute-git-dir)/sbm-series.stamp
if [ "$(cat "$series_file" 2>/dev/null)" != "$series" ] ||
   ! g rev-parse -q --verify refs/tags/sbm-series >/dev/null; then
	if g rev-parse -q --verify refs/tags/sbm-series >/dev/null &&
	   { [ "$(g rev-parse sbm)" != "$(g rev-parse sbm-series)" ] ||
	     tree_dirty; }; then
		die "patches/ changed, and branch sbm of $GIT_TREE has work that was not exported: export it (./sbm.sh export) or drop it (git -C $GIT_TREE reset --hard sbm-series && git -C $GIT_TREE clean -fdx) first"
	fi
	msg "applying the SBM series ($(grep -cv '^#' "$SERIES") patches)"
	g checkout -q -f -B sbm pristine
	g clean -q -fdx
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		g am -q --whitespace=error-all "$TOP/patches/$p" || {
			g am --abort
			die "patches/$p does not apply"
		}
	done < "$SERIES"
	g tag -f sbm-series sbm >/dev/null
	echo "$series" > "$series_file"
elif [ "$(g rev-parse sbm)" != "$(g rev-parse sbm-series)" ]; then
	msg "branch sbm: $(g rev-list --count sbm-series..sbm) commits not exported"
fi
[ "$(g symbolic-ref -q HEAD)" = refs/heads/sbm ] ||
	msg "warning: $GIT_TREE is not on branch sbm; building what is checked out"

# What is checked out, and every change to it: when that is what the
# build tree was synced with, there is nothing to do.
stamp=$( (echo "$series"; g rev-parse HEAD; g diff HEAD;
	  cd "$GIT_TREE" && git ls-files -o -z | xargs -0 -r sha256sum) |
	sha256sum | cut -d' ' -f1)
if [ -f "$OUT/prepared.stamp" ] && [ "$(cat "$OUT/prepared.stamp")" = "$stamp" ] &&
   [ -d "$SRC" ]; then
	msg "tree is up to date"
	exit 0
fi
msg "syncing build tree"
mkdir -p "$SRC"
# No --delete: build products live in $SRC; a file dropped from the
# series only lingers unreferenced.
rsync -rlc --exclude=/.git "$GIT_TREE/" "$SRC/"
echo "$stamp" > "$OUT/prepared.stamp"
msg "prepared $(g log --oneline pristine..HEAD | wc -l) commits on $(g log -1 --format=%s pristine)"
