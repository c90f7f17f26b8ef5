"""What the browser benches need: the built page and Debian's chromium, or one line saying what to run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def chromium_or_exit() -> str:
    """Return the chromium path; exit with one line when the page is not built or chromium is missing."""
    from eventcoder.api import WEB

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not (WEB / "app.js").is_file():
        sys.exit("the web page is not built: run `make web`")
    if not Path(chromium).exists():
        sys.exit("no chromium: run scripts/ensure-chromium")
    return chromium
