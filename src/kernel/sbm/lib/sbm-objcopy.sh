#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Turn an object compiled for the sandbox into sandbox library code, or
# fail, naming the object and the section that a sandbox cannot have.
#
#   sbm-objcopy.sh OBJCOPY OBJDUMP READELF IN OUT

objcopy=$1
objdump=$2
readelf=$3
in=$4
out=$5

# The linker merges mergeable constants with the kernel's, so that sandbox
# code would use a kernel copy outside the sandbox (-fno-merge-constants).
if $readelf -S -W "$in" | grep -E 'PROGBITS( +[0-9a-f]+){4} +[^ ]*A[^ ]*M' >/dev/null; then
	echo "$in: mergeable constants cannot be in a sandbox" >&2
	exit 1
fi

args=
for sec in $($objdump -h -w "$in" | awk '$1 ~ /^[0-9]+$/ { print $2 }'); do
	case "$sec" in
	.text|.text.*)
		args="$args --rename-section $sec=.sbm.text" ;;
	.rodata|.rodata.*|.data.rel.ro|.data.rel.ro.*)
		args="$args --rename-section $sec=.sbm.rodata" ;;
	.data|.data.rel|.data.rel.local|.bss)
		args="$args --rename-section $sec=.sbm.data" ;;
	# Exports and module information belong to the native copy.
	.export_symbol|.modinfo)
		args="$args --remove-section $sec" ;;
	# BUG() and WARN() end the sandbox with #UD; these only annotate.
	__bug_table|.comment|.note.*|.discard.*)
		;;
	*)
		echo "$in: section $sec cannot be in a sandbox" >&2
		exit 1 ;;
	esac
done
# shellcheck disable=SC2086
exec $objcopy --prefix-symbols=__sbm_lib_ $args "$in" "$out"
