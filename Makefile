# SPDX-License-Identifier: GPL-2.0
# Convenience targets; ./sbm.sh does the work (and installs what is missing).

.PHONY: all demo check test build bench shell patches clean

all: build

demo check test build bench shell patches:
	./sbm.sh $@

clean:
	rm -rf out
