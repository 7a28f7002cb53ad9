"""A document printed to PDF by a headless browser found at run time (Chromium from the
system's packages); no Python dependency. Without one, the clerk is told how to install
it, and nothing is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tanhung_cli.errors import Invalid

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 180


def find_browser() -> str | None:
    """The browser that prints: $TANHUNG_BROWSER if set, else the first one on PATH."""
    named = os.environ.get("TANHUNG_BROWSER")
    if named:
        return shutil.which(named)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def need_browser() -> str:
    """The browser, or the refusal that says how to install one (before anything is read
    or written)."""
    browser = find_browser()
    if browser is None:
        raise Invalid("document.no_browser")
    return browser


def to_pdf(page: str, browser: str) -> bytes:
    """``page`` (HTML) printed to PDF: the page size and margins the page's CSS sets, no
    header or footer of the browser's own (the page numbers are the page's)."""
    with tempfile.TemporaryDirectory(prefix="tanhung-pdf-") as folder:
        source, target = Path(folder, "document.html"), Path(folder, "document.pdf")
        source.write_text(page, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",  # run as root in CI and containers
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={Path(folder, 'profile')}",
            "--no-pdf-header-footer",  # Chromium 120 on
            "--print-to-pdf-no-header",  # its older name (ignored where unknown)
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise Invalid("document.browser_failed", browser=browser, reason=str(exc)) from None
        if not target.is_file() or target.stat().st_size == 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit {done.returncode}"
            raise Invalid("document.browser_failed", browser=browser, reason=reason[:200])
        return target.read_bytes()
