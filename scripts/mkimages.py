#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make the SquashFS images and compressed modules of the end-to-end tests.

For each of lz4, xz and zstd: a good image of three files (one block,
several blocks, a small one), an image whose first data block is corrupt,
and one whose first data block is a "stored block" for the planted bug of
CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG. The first block belongs to a_bad.bin;
b_good.bin and c_small.txt stay readable. A manifest lists the md5 sums.

With a module, also that module compressed as kbuild compresses modules
(xz), and a copy whose compressed stream is corrupt in the middle.

    mkimages.py OUTDIR [MODULE.ko]
"""
import hashlib
import os
import shutil
import struct
import subprocess
import sys

out = sys.argv[1]
src = os.path.join(out, 'tree')
shutil.rmtree(out, ignore_errors=True)
os.makedirs(src)


def seq_data(size, start):
    data = b''.join(b'%d\n' % n for n in range(start, start + size // 2 + 2))
    return data[:size]


files = {
    'a_bad.bin': seq_data(131072, 1),
    'b_good.bin': seq_data(300000, 500000),
    'c_small.txt': b'SandBox Mode keeps this file readable.\n',
}
with open(os.path.join(out, 'manifest'), 'w') as m:
    for name, data in sorted(files.items()):
        with open(os.path.join(src, name), 'wb') as f:
            f.write(data)
        m.write('%s  %s\n' % (hashlib.md5(data).hexdigest(), name))

SQUASHFS_COMP_OPT = 0x0400
for comp in ('lz4', 'xz', 'zstd'):
    good = os.path.join(out, comp + '.img')
    subprocess.run(['mksquashfs', src, good, '-comp', comp, '-b', '131072',
                    '-noappend', '-no-fragments', '-all-root', '-quiet',
                    '-mkfs-time', '0', '-no-progress'],
                   check=True, stdout=subprocess.DEVNULL)
    with open(good, 'rb') as f:
        img = bytearray(f.read())
    flags = struct.unpack_from('<H', img, 24)[0]
    start = 96
    if flags & SQUASHFS_COMP_OPT:
        start += 2 + (struct.unpack_from('<H', img, 96)[0] & 0x7fff)

    # The first data block starts with a lie: lengths of 0xff...
    bad = bytearray(img)
    bad[start:start + 8] = b'\xff' * 8
    with open(os.path.join(out, comp + '-corrupt.img'), 'wb') as f:
        f.write(bad)

    # ... or with a stored block whose length is not checked.
    planted = bytearray(img)
    planted[start:start + 9] = b'SBM!' + struct.pack('<I', 16 << 20) + b'\x41'
    with open(os.path.join(out, comp + '-planted.img'), 'wb') as f:
        f.write(planted)
shutil.rmtree(src)

if len(sys.argv) > 2:
    ko = sys.argv[2]
    name = os.path.basename(ko)
    with open(ko, 'rb') as f:
        xz = subprocess.run(['xz', '--check=crc32', '--lzma2=dict=1MiB', '-c'],
                            stdin=f, check=True, capture_output=True).stdout
    with open(os.path.join(out, name + '.xz'), 'wb') as f:
        f.write(xz)
    bad = bytearray(xz)
    mid = len(bad) // 2
    bad[mid:mid + 16] = bytes(b ^ 0x5a for b in bad[mid:mid + 16])
    with open(os.path.join(out, name + '-corrupt.xz'), 'wb') as f:
        f.write(bad)
