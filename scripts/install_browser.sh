#!/bin/sh
# Install what the browser tests (tests/test_html_browser.py) need: Debian's chromium and
# chromedriver, and Selenium in the project's venv. No browser download from anywhere else.
#
# Idempotent and quiet: does nothing when everything is there. Never fails the build: when the
# browser cannot be installed (no root, no apt, no network) it says so in one line and exits 0;
# the browser tests then skip with that reason.
#
#   scripts/install_browser.sh [PYTHON]     (PYTHON defaults to .venv/bin/python)
set -u
cd "$(dirname "$0")/.." || exit 0
PY="${1:-.venv/bin/python}"

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ]; }

if ! { have chromium && have chromedriver; }; then
    if [ "$(id -u)" != 0 ] && have sudo; then SUDO="sudo -n"; else SUDO=""; fi
    if ! have apt-get; then
        echo "install_browser: no apt-get; browser tests will be skipped" >&2
    elif [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
        echo "install_browser: not root and no sudo; browser tests will be skipped" >&2
    else
        export DEBIAN_FRONTEND=noninteractive
        if ! { $SUDO apt-get update -qq >/dev/null 2>&1 &&
               $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }; then
            echo "install_browser: apt-get could not install chromium chromium-driver; browser tests will be skipped" >&2
        fi
    fi
fi

if [ -x "$PY" ] && ! "$PY" -c "import selenium" >/dev/null 2>&1; then
    "$PY" -m pip install --quiet "selenium>=4.20" >/dev/null 2>&1 ||
        echo "install_browser: could not pip install selenium; browser tests will be skipped" >&2
fi

if have chromium && have chromedriver; then
    exit 0
fi
echo "install_browser: chromium/chromedriver missing; browser tests will be skipped" >&2
exit 0
