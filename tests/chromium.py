"""Headless Chromium through Selenium, for the browser tests and benchmarks/html_report.py:
Debian's chromium + chromedriver (``MTAUDIT_CHROMIUM`` / ``MTAUDIT_CHROMEDRIVER`` override),
offline, a throw-away profile."""

from __future__ import annotations

import os
import shutil
import tempfile

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,1000",
)


def find_binary(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env] if os.path.exists(os.environ[env]) else None
    for n in names:
        p = shutil.which(n) or (f"/usr/bin/{n}" if os.path.exists(f"/usr/bin/{n}") else None)
        if p:
            return p
    return None


def binaries() -> tuple[str | None, str | None]:
    """(chromium, chromedriver), None for the one not found."""
    return (
        find_binary("MTAUDIT_CHROMIUM", "chromium", "chromium-browser"),
        find_binary("MTAUDIT_CHROMEDRIVER", "chromedriver"),
    )


def start(chromium: str, chromedriver: str, extra: tuple[str, ...] = ()):
    """A driver and its profile directory (remove it after ``driver.quit()``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download anything
    profile = tempfile.mkdtemp(prefix="mtaudit-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for f in (*FLAGS, *extra, f"--user-data-dir={profile}"):
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(chromedriver), options=opts), profile
