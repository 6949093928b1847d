#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in the console log of one test boot.

Prints "kunit_passed kunit_failed kunit_skipped e2e_passed e2e_failed
e2e_skipped".
KUnit results are counted by the kernel's own KTAP parser (kunit.py);
the end-to-end results are the TAP lines that sbm_e2e (kselftest
harness) prints, checked against its totals. A boot that
produced no KUnit results, or no e2e summary, counts as one failure;
with a third argument "kunit-only", a boot that ran no e2e tests is
expected.
"""
import re
import subprocess
import sys

log_file, kunit_py = sys.argv[1], sys.argv[2]
kunit_only = sys.argv[3:] == ['kunit-only']
with open(log_file, errors='replace') as f:
    log = f.read()

# KUnit runs at boot, before the end-to-end tests print their own TAP,
# which the KTAP parser must not see; nor other kernel messages, which
# can land between the header lines of a suite and confuse it.
e2e = log.split('TAP version 13\n', 1)
ktap = re.compile(r'^(\[[ 0-9.]+\] )?\s*(KTAP version |1\.\.|ok |not ok |# )')
kunit = ''.join(line for line in e2e[0].splitlines(True) if ktap.match(line))
kp = kf = ks = 0
out = subprocess.run([sys.executable, kunit_py, 'parse'], input=kunit,
                     capture_output=True, text=True).stdout
m = re.search(r'Ran (\d+) tests?: passed: (\d+)(?:, failed: (\d+))?'
              r'(?:, skipped: (\d+))?(?:, crashed: (\d+))?', out)
if m:
    kp = int(m.group(2))
    kf = int(m.group(3) or 0) + int(m.group(5) or 0)
    ks = int(m.group(4) or 0)
else:
    kf = 1
    sys.stderr.write('no KUnit results in %s\n' % log_file)

ep = ef = es = 0
if kunit_only:
    print(kp, kf, ks, ep, ef, es)
    sys.exit(0)
m = re.search(r'^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) '
              r'skip:(\d+) error:(\d+)', log, re.M)
if len(e2e) == 2 and m:
    ok = re.findall(r'^ok \d+ (.*)$', e2e[1], re.M)
    es = len([t for t in ok if ' # SKIP' in t])
    ep = len(ok) - es
    ef = len(re.findall(r'^not ok \d+ ', e2e[1], re.M))
    # The summary of the harness must agree with the lines we counted.
    if ((ep, ef, es) != (int(m.group(1)), int(m.group(2)), int(m.group(5))) or
            int(m.group(3)) or int(m.group(4)) or int(m.group(6))):
        ef += 1
        sys.stderr.write('e2e summary disagrees with its results in %s\n' % log_file)
else:
    ef = 1
    sys.stderr.write('no end-to-end results in %s\n' % log_file)
print(kp, kf, ks, ep, ef, es)
