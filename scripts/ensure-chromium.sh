#!/usr/bin/env bash
# Installs Debian's chromium for the headless phone-page test (test/sandbox/page.e2e.mjs),
# unless it is already there. playwright-core drives this system browser through
# `executablePath`, so no browser is downloaded from a CDN (the test machines have no internet
# beyond the npm registry and the Debian mirrors).
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
	echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "chromium is missing at $CHROMIUM and this user cannot install packages (no root, no sudo)." >&2
		echo "Install it with: apt-get update && apt-get install -y chromium" >&2
		exit 1
	fi
fi

echo "chromium: installing Debian's chromium package (one time, a few minutes)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo installed)"
