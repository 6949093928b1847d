#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build an out-of-tree module against the SBM kernel:
#   example.sh build [DIR]	(default: examples/sbm_example)
# The .ko files land in out/<name of DIR>/.
. "$(dirname "$0")/lib.sh"

[ "${1:-build}" = build ] || die "usage: example.sh build [DIR]"
dir=$(cd "${2:-$TOP/examples/sbm_example}" && pwd)
dest=$OUT/$(basename "$dir")
[ -f "$SRC/Module.symvers" ] || die "build the kernel first"
mkdir -p "$dest"
# Build in a copy, so the source directory stays clean.
rsync -a --delete --exclude='*.o' --exclude='*.ko' "$dir/" "$dest/src/"
kmake M="$dest/src" modules >/dev/null
cp "$dest"/src/*.ko "$dest/"
msg "built $(cd "$dest" && ls ./*.ko | tr '\n' ' ')"
