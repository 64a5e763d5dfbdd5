#!/bin/sh
# Install Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
# In CI (CI=true) a browser that cannot be installed fails the run; elsewhere the browser tests are skipped.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: installing Debian's chromium (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "install-browser: /usr/bin/chromium is missing and could not be installed; CI needs it" >&2
    exit 1
  fi
  echo "install-browser: no /usr/bin/chromium; browser tests will be skipped (install Debian's 'chromium' package)" >&2
fi
