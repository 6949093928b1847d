#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the kernel tree: unpack the pristine Debian linux-source-6.12
# tarball into a git tree, commit it, then add our series on top: for each
# commits/NN-name.msg, copy the files listed in commits/NN-name.files from
# src/, apply patches/NN-name.patch and patches/NN-name.own.patch if
# present, and commit with the message.
# The build tree $SRC is then synced by content, so unchanged files keep
# their timestamps and incremental builds stay incremental.
. "$(dirname "$0")/lib.sh"

[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing (run scripts/deps.sh)"
mkdir -p "$OUT"

stamp=$( (sha256sum "$KSRC_TARBALL" | cut -d' ' -f1;
	  cd "$TOP" && find src patches commits -type f | LC_ALL=C sort |
	  xargs sha256sum) | sha256sum | cut -d' ' -f1)

if [ -f "$OUT/prepared.stamp" ] && [ "$(cat "$OUT/prepared.stamp")" = "$stamp" ] &&
   [ -d "$SRC" ]; then
	msg "tree is up to date"
	exit 0
fi

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
fi

msg "applying the SBM series"
g checkout -q -f -B sbm pristine
g clean -q -fdx
shopt -s nullglob
for msgf in "$TOP"/commits/*.msg; do
	name=$(basename "$msgf" .msg)
	if [ -f "$TOP/commits/$name.files" ]; then
		while read -r f; do
			case "$f" in ''|'#'*) continue;; esac
			[ -f "$TOP/src/$f" ] || die "$name: src/$f missing"
			mkdir -p "$GIT_TREE/$(dirname "$f")"
			cp "$TOP/src/$f" "$GIT_TREE/$f"
			# Debian's tarball ships a .gitignore that ignores all.
			g add -f -- "$f"
		done < "$TOP/commits/$name.files"
	fi
	# Edits of upstream files, then the growth of our own Kbuild files
	# (written by scripts/own-patches.py).
	for p in "$TOP/patches/$name.patch" "$TOP/patches/$name.own.patch"; do
		[ -f "$p" ] || continue
		g apply --whitespace=error-all "$p" ||
			die "patches/$(basename "$p") does not apply"
	done
	# -f: Debian's .gitignore would hide the Kbuild files that the
	# .own patches create.
	g add -A -f .
	g commit -q -s -F "$msgf" || die "$name: empty commit"
done

msg "syncing build tree"
mkdir -p "$SRC"
# No --delete: build products live in $SRC; a file dropped from the
# series only lingers unreferenced.
rsync -rlc --exclude=/.git "$GIT_TREE/" "$SRC/"
echo "$stamp" > "$OUT/prepared.stamp"
msg "prepared $(g log --oneline pristine..sbm | wc -l) commits on $(g log -1 --format=%s pristine)"
