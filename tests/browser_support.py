"""Headless Debian Chromium driven through chromedriver (selenium), for the web app of
`budgetkg serve`.

Used by tests/test_browser.py and tests/screenshot_query_page.py. The flags keep
Chromium off the network: this machine's network is closed, and Chromium otherwise
keeps trying to reach Google's hosts.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,900")
PAGE_TIMEOUT_S = 30


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return "Debian's chromium is not installed (ci/install-system-packages.sh installs it)"
    if not os.path.exists(CHROMEDRIVER):
        return "Debian's chromium-driver is not installed (ci/install-system-packages.sh installs it)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@contextmanager
def chromium(downloads: str | None = None) -> Iterator[Any]:
    """A headless Chromium; files it downloads go to ``downloads`` when given."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="budgetkg-chromium-") as profile:
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        # The driver is given: selenium never looks for (or downloads) one of its own.
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        if downloads:
            driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        try:
            yield driver
        finally:
            driver.quit()


def run_in_query_page(driver: Any, url: str, query: str, *, simple_view: bool = True) -> list[list[str]]:
    """Open the served YASGUI editor (``url`` is the app's root; the editor is at /editor), type
    ``query``, press run, return the result table's header and rows as text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url.rstrip("/") + "/editor")
    wait = WebDriverWait(driver, PAGE_TIMEOUT_S)
    wait.until(lambda d: d.execute_script("return !!document.querySelector('.CodeMirror')"))
    driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query)
    driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
               or d.find_elements(By.CSS_SELECTOR, ".yasr .errorResult"))
    if simple_view:  # plain values instead of "2024"^^<xsd:integer>
        boxes = driver.find_elements(By.CSS_SELECTOR, ".yasr input[type=checkbox]")
        for box in boxes[:1]:
            if not box.is_selected():
                box.click()
    header = [th.text for th in driver.find_elements(By.CSS_SELECTOR, ".yasr table thead th")]
    rows = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")]
    return [header, *rows]


def wait_for(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, PAGE_TIMEOUT_S).until(condition)


def result_rows(driver: Any, table_id: str = "results") -> list[list[str]]:
    """The cells of a result table of the app, as shown."""
    from selenium.webdriver.common.by import By

    return [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, f"table#{table_id} tbody tr")]
