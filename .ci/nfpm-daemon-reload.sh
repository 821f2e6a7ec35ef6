#!/bin/sh
# After portnote's package is installed or removed: let a running
# systemd see portnote-kernel.service come or go. Nothing is enabled or
# started.
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
