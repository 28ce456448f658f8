"""The web app of `budgetkg serve` in a real headless Chromium, as a journalist would use it:
the home page, the projects-citing form filled with 晋综示发(2020)49号, the 6 rows, a row's
project page, its source line, the CSV download; and the YASGUI editor. Skipped only where
Chromium / chromedriver / selenium are absent (ci/install-system-packages.sh and the dev extra
install them)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from budgetkg import api
from budgetkg.queries import bind, named_query
from budgetkg.queries.results import format_result
from tests.browser_support import browser_missing, chromium, result_rows, run_in_query_page, wait_for
from tests.conftest import EXAMPLES
from tests.remote_support import budgetkg_serve

pytestmark = [pytest.mark.engines,
              pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")]

POLICY = "晋综示发(2020)49号"  # as a person types it; the store holds 晋综示发〔2020〕49号
DOWNLOAD_WAIT_S = 30


def test_a_journalist_finds_the_projects_citing_a_policy(text_store, tmp_path):
    from selenium.webdriver.common.by import By

    expected = api.query("projects-citing", {"policy": POLICY}, text_store)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with budgetkg_serve(text_store, "--sources", str(EXAMPLES)) as server, chromium(str(downloads)) as driver:
        driver.get(server.url)
        assert "预算公开知识图谱" in driver.find_element(By.TAG_NAME, "h1").text
        driver.find_element(By.CSS_SELECTOR, "a[href='/queries']").click()
        driver.find_element(By.LINK_TEXT, "projects-citing").click()
        field = wait_for(driver, lambda d: d.find_element(By.NAME, "policy"))
        field.send_keys(POLICY)
        field.submit()
        rows = wait_for(driver, lambda d: result_rows(d))
        assert len(rows) == len(expected.rows) == 6
        assert [row[2] for row in rows] == [r["project_name"] for r in expected.dicts()]
        assert {row[4] for row in rows} == {"晋综示发〔2020〕49号"}

        # The CSV download is the CLI's CSV of the same question.
        driver.find_element(By.CSS_SELECTOR, "a.download-csv").click()
        target = downloads / "projects-citing.csv"
        deadline = time.monotonic() + DOWNLOAD_WAIT_S
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert target.read_bytes().decode("utf-8") == format_result(expected, "csv")

        # A row leads to its project, the project to the line of the file it was read from.
        first = rows[0][2]
        driver.find_element(By.CSS_SELECTOR, "table#results tbody tr a.row-link").click()
        wait_for(driver, lambda d: "/id/project/" in d.current_url)
        assert driver.find_element(By.TAG_NAME, "h1").text == first
        link = driver.find_element(By.CSS_SELECTOR, "a.source-link")
        line = int(link.get_attribute("href").rsplit("#L", 1)[1])
        link.click()
        highlighted = wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, f"span#L{line}"))
        printed = Path(EXAMPLES / "yangqu-park-service-center-2026.txt").read_text(encoding="utf-8").splitlines()
        assert " ".join(printed[line - 1].split()) in " ".join(highlighted.text.split())  # tabs show as spaces
        assert first in highlighted.text
        assert driver.execute_script("return location.hash") == f"#L{line}"


def test_sorting_a_column_by_amount(text_store):
    from selenium.webdriver.common.by import By

    with budgetkg_serve(text_store) as server, chromium() as driver:
        driver.get(server.url + "queries/projects?year=2026")
        header = wait_for(driver, lambda d: d.find_elements(By.XPATH, "//table[@id='results']//th[starts-with(., 'total_yuan')]"))[0]
        header.click()
        header.click()  # descending
        amounts = [float(td.get_attribute("data-sort") or 0)
                   for td in driver.find_elements(By.CSS_SELECTOR, "table#results tbody tr td:nth-child(5)")]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] > 0


def test_named_query_in_the_yasgui_editor(text_store):
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


def test_a_refused_query_shows_why_in_the_editor(text_store):
    from selenium.webdriver.common.by import By

    with budgetkg_serve(text_store) as server, chromium() as driver:
        run_in_query_page(driver, server.url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                          simple_view=False)
        error = driver.find_element(By.CSS_SELECTOR, ".yasr .errorResult").text
    assert "400" in error or "SERVICE" in error


def test_the_editor_loads_a_named_query_and_runs_it(text_store):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    expected = api.query("projects-citing", {"policy": "晋综示发【2020】49号"}, text_store)  # its first example
    with budgetkg_serve(text_store) as server, chromium() as driver:
        driver.get(server.url + "editor")
        wait_for(driver, lambda d: d.execute_script("return !!document.querySelector('.CodeMirror')"))
        shown = driver.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")
        assert "?organization ?year ?kind ?org_code" in shown  # the organizations query, not SELECT * LIMIT 10
        Select(driver.find_element(By.ID, "named-query")).select_by_value("projects-citing")
        driver.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr"))
        rows = driver.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr")
    assert len(rows) == len(expected.rows) == 6
