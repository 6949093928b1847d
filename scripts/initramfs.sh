#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of the test VM: static busybox, our /init, the
# static user-space test programs, the kernel's modules, and whatever is
# listed in SBM_EXTRA_FILES (e.g. an out-of-tree module).
. "$(dirname "$0")/lib.sh"

D=$OUT/initramfs
rm -rf "$D"
mkdir -p "$D"/{bin,sbin,proc,sys,dev,tmp,root,lib/modules}
cp /bin/busybox "$D/bin/busybox"
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -s busybox "$D/bin/$a"
done
install -m 755 "$TOP/scripts/init.sh" "$D/init"

ST=$SRC/tools/testing/selftests/sbm
if [ -d "$ST" ]; then
	mkdir -p "$OUT/selftests"
	make -s -C "$ST" OUTPUT="$OUT/selftests" CC="ccache gcc" >/dev/null
	for p in "$OUT"/selftests/sbm_*; do
		[ -x "$p" ] && install -m 755 "$p" "$D/bin/"
	done
fi
# SquashFS images of the end-to-end tests.
# With the example module, also compressed modules.
python3 "$TOP/scripts/mkimages.py" "$OUT/images" \
	$(for f in ${SBM_EXTRA_FILES:-}; do case "$f" in *sbm_example.ko) echo "$f";; esac; done)
mkdir -p "$D/images" "$D/mnt"
cp "$OUT"/images/* "$D/images/"
# The certificate of the X.509 tests, made by the kernel build.
[ -f "$SRC/kernel/sbm/sbm_test_cert.der" ] && cp "$SRC/kernel/sbm/sbm_test_cert.der" "$D/images/"
for f in ${SBM_EXTRA_FILES:-}; do
	case "$f" in
	*.ko) cp "$f" "$D/lib/modules/" ;;
	*) cp "$f" "$D/bin/" ;;
	esac
done
(cd "$D" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) \
	> "$OUT/initramfs.cpio.gz"
msg "initramfs: $(du -h "$OUT/initramfs.cpio.gz" | cut -f1), modules: $(ls "$D/lib/modules" | tr '\n' ' ')"
