"""Take the README's pictures of `budgetkg serve` in headless Debian Chromium, on the three
sample texts and the two 上海市普陀区司法局 2026 PDFs (both layouts):

- docs/serve-home.png          the home page
- docs/serve-query.png         projects-citing for 晋综示发(2020)49号, as a person types it
- docs/serve-organization.png  an organization's page (expenditure by subject as bars)

    .venv/bin/python -m tests.screenshot_query_page   # from the repository root

Needs chromium and chromium-driver (ci/install-system-packages.sh) and, so the Chinese
text renders, a CJK font (e.g. `apt-get install fonts-wqy-microhei`).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from budgetkg import api
from tests.browser_support import chromium, result_rows, wait_for
from tests.remote_support import budgetkg_serve

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
FILES = [*sorted(EXAMPLES.glob("*.txt")), EXAMPLES / "nine-table" / "putuo-sfj-2026-dept.pdf",
         EXAMPLES / "nine-table" / "putuo-sfj-2026-unit.pdf"]
POLICY = "晋综示发(2020)49号"
ORGANIZATION = "上海市普陀区司法局"
WINDOW = (1400, 900)


def main() -> None:
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as tmp:
        report = api.ingest([str(p) for p in FILES], tmp)
        assert report.ok, report.failed
        with budgetkg_serve(tmp, "--sources", str(EXAMPLES)) as server, chromium() as driver:
            driver.set_window_size(*WINDOW)
            driver.get(server.url)
            wait_for(driver, lambda d: result_rows(d, "organizations"))
            driver.save_screenshot(str(DOCS / "serve-home.png"))
            driver.get(server.url + "queries/projects-citing?" + urlencode({"policy": POLICY}))
            rows = wait_for(driver, lambda d: result_rows(d))
            driver.save_screenshot(str(DOCS / "serve-query.png"))
            driver.get(server.url + "organization?" + urlencode({"name": ORGANIZATION}))
            wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".bars"))
            driver.execute_script("document.querySelector('.bars').previousElementSibling.scrollIntoView()")
            driver.save_screenshot(str(DOCS / "serve-organization.png"))
    print(f"wrote docs/serve-home.png, docs/serve-query.png ({len(rows)} rows), docs/serve-organization.png")


if __name__ == "__main__":
    main()
