#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, only when missing.
. "$(dirname "$0")/lib.sh"

PKGS=(linux-source-6.12 linux-config-6.12 build-essential bc bison flex libelf-dev libssl-dev
      cpio xz-utils gzip rsync ccache sparse qemu-system-x86 busybox-static
      kmod python3 python3-ply python3-git git perl squashfs-tools openssl)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
msg "installing: ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	--no-install-recommends "${missing[@]}" >/dev/null
