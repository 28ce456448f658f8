"""Take docs/serve-query-page.png: `budgetkg serve` on the samples, a named query run in the
served YASGUI page, in headless Debian Chromium.

    .venv/bin/python -m tests.screenshot_query_page   # from the repository root

Needs chromium and chromium-driver (ci/install-system-packages.sh) and, so the Chinese
text renders, a CJK font (e.g. `apt-get install fonts-wqy-microhei`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from budgetkg import api
from budgetkg.queries import bind, named_query
from tests.browser_support import chromium, run_in_query_page
from tests.remote_support import budgetkg_serve

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "docs" / "serve-query-page.png"
QUERY, PARAMS = "projects-citing", {"policy": "晋综示发【2020】49号"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = api.ingest(sorted(str(p) for p in (ROOT / "examples").glob("*.txt")), tmp)
        assert report.ok, report.failed
        with budgetkg_serve(tmp) as server, chromium() as driver:
            driver.set_window_size(1400, 820)
            table = run_in_query_page(driver, server.url, bind(named_query(QUERY), PARAMS))
            driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.scrollTo(0, 0)")
            driver.save_screenshot(str(OUT))
    print(f"wrote {OUT} ({len(table) - 1} result rows)")


if __name__ == "__main__":
    main()
