#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the patches through which the series grows its own Kbuild files.

Some of our files grow over the series: a commit adds its own lines to
kernel/sbm/Kconfig, for instance. src/ holds them as they are at the end
of the series; the table below says which commit introduces each file and
which commit adds which block of it. For every commit concerned, this
writes patches/<commit>.own.patch, which scripts/prepare.sh applies after
<commit>.patch: a new file for the commit that introduces it, then a diff
for each commit that grows it. Run it after editing one of these files.

    own-patches.py [--check]

With --check, only verify that the patches are up to date.
"""
import difflib
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# file: (commit that introduces it, [(commit, first line, last line), ...])
# A block is the lines from its first line to its last line, both included;
# each must occur once in the file.
OWN_FILES = {
    'kernel/sbm/Kconfig': ('01-sbm-core', [
        ('06-sbm-kunit', '', 'config SANDBOX_MODE_KUNIT_TEST', '	  If unsure, say N.'),
        ('07-sbm-trigger', '', 'config SANDBOX_MODE_TEST_TRIGGER', '	  unless you test SandBox Mode.'),
        ('08-sbm-lib', '', 'source "kernel/sbm/lib/Kconfig"', None),
    ]),
    'kernel/sbm/Makefile': ('01-sbm-core', [
        ('06-sbm-kunit', None, 'obj-$(CONFIG_SANDBOX_MODE_KUNIT_TEST) += sbm_kunit.o',
         'obj-$(CONFIG_SANDBOX_MODE_KUNIT_TEST) += $(sbm-spec-kunit-y)'),
        ('07-sbm-trigger', None, 'obj-$(CONFIG_SANDBOX_MODE_TEST_TRIGGER) +=', None),
        ('08-sbm-lib', '', '# The sandbox library: its runtime in the kernel, and its code.',
         'obj-$(CONFIG_SANDBOX_MODE_LIB) += libsupport.o lib/'),
        ('09-sbm-asn1', None, 'obj-$(CONFIG_SANDBOX_MODE_X509) += asn1.o', None),
        ('08-sbm-lib', '', '# Tests of the sandbox library, and a benchmark that uses their inputs.',
         '					     sbm_test_vectors.o'),
        ('09-sbm-asn1', None, 'obj-$(CONFIG_SANDBOX_MODE_LIB_KUNIT_TEST) += sbm_asn1_kunit.o', None),
        ('13-x509-sbm', None, 'obj-$(CONFIG_SANDBOX_MODE_LIB_KUNIT_TEST) += sbm_hostile_kunit.o', None),
        ('10-sbm-lib-bench', None, 'sbm-lib-bench-$(CONFIG_SANDBOX_MODE_TEST_TRIGGER)',
         'obj-$(CONFIG_SANDBOX_MODE_LIB_KUNIT_TEST) += $(sbm-lib-bench-y)'),
        ('08-sbm-lib', '', '# Inputs of the XZ tests: seq(1) data, compressed as modules are.',
         '	$(call if_changed,sbm_test_xz)'),
        ('09-sbm-asn1', '', '# A certificate for the X.509 tests, as a CA would issue it: RSA key,',
         '	$(call if_changed,sbm_test_cert)'),
    ]),
    'kernel/sbm/lib/Kconfig': ('08-sbm-lib', [
        ('09-sbm-asn1', '', 'config SANDBOX_MODE_X509', '	select ASN1'),
        ('09-sbm-asn1', None, '	select SANDBOX_MODE_X509', None),
    ]),
    'kernel/sbm/lib/Makefile': ('08-sbm-lib', [
        ('09-sbm-asn1', None, 'sbm-lib-$(CONFIG_SANDBOX_MODE_X509) += \\',
         '	asn1_decoder.o asn1.o x509.asn1.o x509_akid.asn1.o x509.o'),
        ('09-sbm-asn1', '', '# The X.509 grammars, compiled here: their actions only record (x509.c),',
         '$(obj)/x509_akid.asn1.sbm-cc.o: $(obj)/x509_akid.asn1.h'),
    ]),
}


def block_lines(lines, before, first, last):
    """Indices of a block: [first, last], with the line before it if given."""
    starts = [i for i, l in enumerate(lines) if l.rstrip('\n').startswith(first)]
    if len(starts) != 1:
        sys.exit('own-patches: "%s" occurs %d times' % (first, len(starts)))
    start = end = starts[0]
    if last is not None:
        while lines[end].rstrip('\n') != last:
            end += 1
            if end == len(lines):
                sys.exit('own-patches: no "%s" after "%s"' % (last, first))
    if before is not None:
        if start == 0 or lines[start - 1].rstrip('\n') != before:
            sys.exit('own-patches: "%s" is not preceded by "%s"' % (first, before))
        start -= 1
    return set(range(start, end + 1))


def version(lines, blocks, commit):
    """The file as it is after @commit."""
    drop = set()
    for c, before, first, last in blocks:
        if c > commit:
            drop |= block_lines(lines, before, first, last)
    return [l for i, l in enumerate(lines) if i not in drop]


def diff(path, old, new):
    a = 'a/' + path if old is not None else '/dev/null'
    out = ['diff --git a/%s b/%s\n' % (path, path)]
    if old is None:
        out.append('new file mode 100644\n')
        old = []
    out += list(difflib.unified_diff(old, new, a, 'b/' + path))
    return ''.join(out)


def main():
    commits = sorted(f[:-4] for f in os.listdir(os.path.join(TOP, 'commits'))
                     if f.endswith('.msg'))
    patches = {}
    for path, (intro, blocks) in OWN_FILES.items():
        with open(os.path.join(TOP, 'src', path)) as f:
            lines = f.readlines()
        prev = None
        for c in commits:
            if c < intro:
                continue
            cur = version(lines, blocks, c)
            if cur != prev:
                patches[c] = patches.get(c, '') + diff(path, prev, cur)
            prev = cur
    stale = []
    for c in commits:
        name = os.path.join(TOP, 'patches', c + '.own.patch')
        want = patches.get(c)
        have = open(name).read() if os.path.exists(name) else None
        if want == have:
            continue
        stale.append(name)
        if '--check' in sys.argv:
            continue
        if want is None:
            os.unlink(name)
        else:
            with open(name, 'w') as f:
                f.write(want)
    if '--check' in sys.argv and stale:
        sys.exit('own-patches: out of date: ' + ' '.join(stale))


main()
