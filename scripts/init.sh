#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the SBM test VM. The kernel passes unknown "name=value" boot
# parameters to init as environment: sbm_mode selects what to run.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
export PATH=/bin:/sbin

for m in /lib/modules/*.ko; do
	[ -e "$m" ] || continue
	insmod "$m" || echo "SBM: failed to load $m"
done

echo "SBM: init running, mode=${sbm_mode:-shell}"
# Keep kernel messages below errors off the console, so that what the
# programs print stays whole; dmesg has everything.
[ "${sbm_mode:-shell}" = shell ] || echo 4 > /proc/sys/kernel/printk
case "${sbm_mode:-shell}" in
test)
	/bin/sbm_e2e
	echo "SBM-E2E-EXIT: $?"
	;;
demo)
	/bin/sbm_e2e --demo
	;;
bench)
	/bin/sbm_e2e --bench
	;;
cmd)
	# sbm_cmd may not contain spaces on the command line: use @ for them.
	sh -c "$(echo "$sbm_cmd" | tr '@' ' ')"
	echo "SBM-CMD-EXIT: $?"
	;;
shell)
	setsid cttyhack sh
	;;
esac
echo "SBM: powering off"
# QEMU runs with -no-reboot, so a reboot ends it; there is no ACPI.
reboot -f
