"""The query page of `budgetkg serve` in a real headless Chromium: type a named query, run
it, read the result table. Skipped only where Chromium / chromedriver / selenium are absent
(ci/install-system-packages.sh and the dev extra install them)."""
from __future__ import annotations

import pytest

from budgetkg import api
from budgetkg.queries import bind, named_query
from tests.browser_support import browser_missing, chromium, run_in_query_page
from tests.remote_support import budgetkg_serve

pytestmark = [pytest.mark.engines,
              pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")]


def test_named_query_in_the_served_page(text_store):
    query = named_query("projects-citing")
    text = bind(query, {"policy": "晋综示发【2020】49号"})
    expected = api.query("projects-citing", {"policy": "晋综示发【2020】49号"}, text_store)
    with budgetkg_serve(text_store) as server, chromium() as driver:
        header, *rows = run_in_query_page(driver, server.url, text)
    assert [h.strip() for h in header if h.strip()] == list(query.columns)
    assert len(rows) == len(expected.rows) == 6
    # YASR numbers the rows in a column of its own: align cells to the header from the right.
    shown = {(cells["organization"], cells["project_name"])
             for cells in (dict(zip([h.strip() for h in header][-len(row):], row, strict=True)) for row in rows)}
    assert shown == {(r["organization"], r["project_name"]) for r in expected.dicts()}


def test_a_bad_query_shows_the_engine_error(text_store):
    with budgetkg_serve(text_store) as server, chromium() as driver:
        from selenium.webdriver.common.by import By

        run_in_query_page(driver, server.url, "SELECT ?x WHERE { ?x }", simple_view=False)
        error = driver.find_element(By.CSS_SELECTOR, ".yasr .errorResult").text
    assert "400" in error or "error" in error.lower()
