# SPDX-License-Identifier: GPL-2.0
# Common settings for the SandBox Mode harness scripts. Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${SBM_OUT:-$TOP/out}
# A relative SBM_OUT is relative to the repository, where ./sbm.sh runs.
case "$OUT" in /*) ;; *) OUT=$TOP/$OUT ;; esac
GIT_TREE=${SBM_GIT_TREE:-$OUT/linux}	# git tree: pristine commit + our series
SRC=$OUT/src			# build tree, synced from $GIT_TREE by content
SERIES=$TOP/patches/series	# the series, as git format-patch wrote it
KSRC_TARBALL=${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/sbm-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export KBUILD_BUILD_TIMESTAMP='2024-01-01'
export KBUILD_BUILD_USER=sbm KBUILD_BUILD_HOST=sbm

msg() { printf '[sbm] %s\n' "$*" >&2; }
die() { printf '[sbm] error: %s\n' "$*" >&2; exit 1; }

kmake() { make -C "$SRC" -j"$JOBS" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

# What the series in patches/ is, with the tarball it applies to.
series_stamp() {
	(sha256sum "$KSRC_TARBALL" | cut -d' ' -f1
	 cd "$TOP/patches" && sha256sum series $(grep -v '^#' series)) |
		sha256sum | cut -d' ' -f1
}

# Whether the git tree has changes that no commit holds: edits, or new
# files (Debian's .gitignore ignores everything, so ask for ignored ones
# too; the tree holds no build products, only checkpatch's cache).
tree_dirty() {
	[ -n "$(git -C "$GIT_TREE" status --porcelain --untracked-files=no)" ] ||
	[ -n "$(git -C "$GIT_TREE" ls-files -o --exclude='.checkpatch-camelcase.*')" ]
}
