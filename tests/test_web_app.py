"""The web app of `budgetkg serve` over HTTP, in process (Starlette's TestClient; the query
engines are real worker processes on a real store): named query pages and downloads, entity
pages and content negotiation, and the protected SPARQL endpoint."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from budgetkg import api
from budgetkg.queries import load_named_queries
from budgetkg.queries.protect import MAX_NESTING
from budgetkg.queries.results import format_result
from budgetkg.web.app import Settings, create_app, iri_from_path, wan
from tests.conftest import EXAMPLES
from tests.remote_support import example_params

PARK_ORG = "山西转型综合改革示范区阳曲工业园区服务中心"
# The spellings a person types for 晋综示发〔2020〕49号; each must find the same 6 rows.
VARIANTS = ["晋综示发(2020)49号", "晋综示发【2020】49号", "晋综示发〔2020〕49号", "晋综示发[2020]第049号", "晋综示发 (2020) 49 号"]
# The query of the issue that crashed the Oxigraph server: 12 KB, nested 3,000 deep.
CRASH_QUERY = "SELECT * WHERE { " * 3000 + "}" * 3000
# Every triple of the store joined with itself three times: never finishes on the samples.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT_S = 2.0


def rows_of(page: str, table_id: str = "results") -> list[list[str]]:
    """The result table's cells (text, tags dropped) as the browser shows them."""
    body = page.split(f'<table class="results sortable" id="{table_id}">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]


@pytest.fixture(scope="module")
def client(text_store) -> Iterator[TestClient]:
    app = create_app(Settings(text_store, timeout_s=TIMEOUT_S, sources=EXAMPLES))
    with TestClient(app) as test_client:
        yield test_client


def test_home_page_says_what_the_store_holds(client, text_store):
    page = client.get("/").text
    assert "<b>3</b> 份预算公开 disclosures" in page and "<b>3</b> 个文件 documents" in page
    shown = rows_of(page, "organizations")
    assert [row[0] for row in shown] == [r["organization"] for r in api.query("organizations", {}, text_store).dicts()]
    for href in re.findall(r'<ul class="examples">(.*?)</ul>', page, re.S)[0].split("href=\"")[1:]:
        url = href.split('"', 1)[0].replace("&amp;", "&")
        example = client.get(url)
        assert example.status_code == 200 and rows_of(example.text), url  # every example question has rows


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_each_named_query_page_and_download(client, text_store, name):
    params = example_params(name)
    expected = api.query(name, params, text_store)
    page = client.get(f"/queries/{name}", params=params)
    assert page.status_code == 200
    assert len(rows_of(page.text)) == len(expected.rows)
    for fmt in ("csv", "tsv", "json"):
        download = client.get(f"/queries/{name}", params={**params, "format": fmt})
        assert download.status_code == 200
        assert download.text == format_result(expected, fmt)  # exact yuan, the CLI's own format
        assert f'filename="{name}.{fmt}"' in download.headers["content-disposition"]


@pytest.fixture(scope="module")
def pdf_client(pdf_store) -> Iterator[TestClient]:
    """The app on the three sample PDFs, as `make demo` ingests them (shared with the other PDF tests)."""
    with TestClient(create_app(Settings(pdf_store, timeout_s=60, sources=EXAMPLES))) as test_client:
        yield test_client


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_each_named_query_page_and_download_on_the_pdfs(pdf_client, pdf_store, name):
    params = example_params(name)
    expected = api.query(name, params, pdf_store)
    page = pdf_client.get(f"/queries/{name}", params=params)
    assert page.status_code == 200 and len(rows_of(page.text)) == len(expected.rows)
    for fmt in ("csv", "tsv", "json"):
        assert pdf_client.get(f"/queries/{name}", params={**params, "format": fmt}).text == format_result(expected, fmt)


def test_a_pdf_row_leads_to_its_page_of_the_pdf(pdf_client):
    project = pdf_client.get("/project", params={"organization": PARK_ORG, "year": "2026", "name": "周边事务工作经费"})
    source = re.search(r'class="source-link" href="([^"]+)"', project.text).group(1)
    assert re.fullmatch(r"/source/yangqu-park-service-center-2026\.pdf#page=\d+", source)
    pdf = pdf_client.get(source.split("#")[0])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == (EXAMPLES / "yangqu-park-service-center-2026.pdf").read_bytes()


@pytest.mark.parametrize("policy", VARIANTS)
def test_projects_citing_takes_any_written_variant(client, policy):
    page = client.get("/queries/projects-citing", params={"policy": policy}).text
    rows = rows_of(page)
    assert len(rows) == 6
    assert {r[0] for r in rows} == {PARK_ORG} and {r[4] for r in rows} == {"晋综示发〔2020〕49号"}


def test_amounts_in_wan_with_exact_yuan_on_hover(client):
    page = client.get("/queries/projects", params={"organization": PARK_ORG, "year": "2026"}).text
    # 周边事务工作经费: 11,803,400 yuan is 1,180.34 万元
    assert 'data-sort="11803400" title="11,803,400.00 元" class="amount">1,180.34</td>' in page
    assert wan("11803400") == "1,180.34"


def test_a_missing_required_parameter_shows_the_form_and_a_bad_one_says_why(client):
    page = client.get("/queries/projects-citing")
    assert page.status_code == 200 and 'name="policy"' in page.text and "results sortable" not in page.text
    bad = client.get("/queries/projects", params={"year": "二〇二四"})
    assert bad.status_code == 400 and "is not an integer" in bad.text


def test_a_row_leads_to_its_project_and_the_project_to_its_source(client):
    page = client.get("/queries/projects-citing", params={"policy": "晋综示发(2020)49号"}).text
    link = re.search(r'class="row-link" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    project = client.get(link)
    assert project.status_code == 200 and "/id/project/" in str(project.url)
    assert "<h1>周边事务工作经费</h1>" in project.text
    source = re.search(r'class="source-link" href="([^"]+)"', project.text).group(1)
    assert source.startswith("/source/yangqu-park-service-center-2026.txt#L")
    line = int(source.rsplit("#L", 1)[1])
    text = client.get(source.split("#")[0]).text
    assert f'id="L{line}"' in text
    printed = (EXAMPLES / "yangqu-park-service-center-2026.txt").read_text(encoding="utf-8").splitlines()[line - 1]
    assert "周边事务工作经费" in printed


def test_source_files_outside_the_sources_folder_are_not_served(client):
    assert client.get("/source/..%2Fpyproject.toml").status_code == 404
    assert client.get("/source/nosuch.txt").status_code == 404


@pytest.fixture(scope="module")
def entity_paths(client) -> dict[str, str]:
    found = {}
    for kind, url, params in [("organization", "/organization", {"name": PARK_ORG}),
                              ("project", "/project", {"organization": PARK_ORG, "year": "2026",
                                                       "name": "周边事务工作经费"}),
                              ("policy", "/policy", {"ref": "晋综示发(2020)49号"})]:
        response = client.get(url, params=params, follow_redirects=False)
        assert response.status_code == 303, (kind, response.text)
        found[kind] = response.headers["location"]
    return found


@pytest.mark.parametrize("kind", ["organization", "project", "policy"])
@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", ox.RdfFormat.TURTLE),
                                             ("application/ld+json", ox.RdfFormat.JSON_LD),
                                             ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_content_negotiation_on_entity_iris(client, entity_paths, kind, accept, fmt):
    path = entity_paths[kind]
    iri = iri_from_path(path)
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, format=fmt))
    assert triples and all(t.subject == ox.NamedNode(iri) for t in triples)
    html = client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html") and iri in html.text


def test_entity_pages_show_what_they_are_about(client, entity_paths):
    org = client.get(entity_paths["organization"]).text
    assert "Disclosures by year" in org and "Expenditure by subject" in org and "周边事务工作经费" in org
    policy = client.get(entity_paths["policy"]).text
    assert "晋综示发(2020)49号 ×6" in policy and "山西转型综合改革示范区管理委员会" in policy
    subject = client.get("/subject", params={"code": "21505"})
    assert subject.status_code == 200 and "Across organizations and years" in subject.text


def test_unknown_iri_is_404_and_unacceptable_type_406(client, entity_paths):
    assert client.get("/id/org/nosuch-organization").status_code == 404
    assert client.get('/id/org/a%22b%3Cc%3E').status_code == 404  # not even an IRI
    assert client.get("/id/org/nosuch", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get(entity_paths["project"], headers={"Accept": "image/png"}).status_code == 406


def test_entities_also_answer_at_the_path_of_their_iri(client, entity_paths):
    iri = iri_from_path(entity_paths["project"])
    own_path = urlsplit(iri).path  # /budgetkg/id/project/…
    response = client.get(quote(own_path), headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and f"<{iri}>" in response.text


def test_iri_paths_keep_escapes_the_iri_has():
    assert iri_from_path("/id/source/a.txt/figure/%E6%95%B4%E4%BD%93%2F%E5%90%88%E8%AE%A1").endswith(
        "/id/source/a.txt/figure/整体%2F合计")


# --- the protected endpoint ------------------------------------------------------------------


def ask(client: TestClient, query: str, method: str = "GET", accept: str = "application/sparql-results+json"):
    if method == "GET":
        return client.get("/query", params={"query": query}, headers={"Accept": accept})
    return client.post("/query", content=query.encode(), headers={"Content-Type": "application/sparql-query",
                                                                  "Accept": accept})


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_protocol_query_sees_the_union_default_graph(client, method):
    response = ask(client, "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#Disclosure> }",
                   method, "text/csv")
    assert response.status_code == 200 and response.text.split()[-1] == "3"
    assert client.get("/sparql", params={"query": "ASK {}"}).json() == {"head": {}, "boolean": True}


def test_the_nesting_request_gets_400_and_the_next_query_answers(client):
    response = ask(client, CRASH_QUERY, "POST")
    assert response.status_code == 400 and f"at most {MAX_NESTING}" in response.text
    assert ask(client, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_service_is_refused(client):
    response = ask(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 400 and "SERVICE is not allowed" in response.text


@pytest.mark.parametrize("text", ["DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
def test_updates_are_refused_on_query_and_update(client, text):
    assert ask(client, text).status_code == 400
    response = client.post("/update", content=text.encode(), headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403 and "read-only" in response.text


def test_a_cartesian_query_is_cut_at_the_timeout_and_the_next_query_answers_within_1s(client):
    started = time.monotonic()
    response = ask(client, CARTESIAN)
    stopped = time.monotonic() - started
    assert response.status_code == 503 and "timeout" in response.text
    assert TIMEOUT_S <= stopped < TIMEOUT_S + 5
    started = time.monotonic()
    answer = ask(client, "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#Disclosure> }",
                 accept="text/csv")
    assert answer.status_code == 200 and answer.text.split()[-1] == "3"
    assert time.monotonic() - started < 1.0


def test_yasgui_editor_and_assets_are_served_from_the_app(client):
    page = client.get("/editor").text
    assert '<script src="/static/yasgui/yasgui.min.js">' in page
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)  # nothing loaded from elsewhere
    assert len(client.get("/static/yasgui/yasgui.min.js").content) > 500_000
    assert "MIT" in client.get("/static/yasgui/LICENSE.txt").text


def test_static_assets_are_packaged():
    root = Path(__file__).resolve().parent.parent / "budgetkg" / "web"
    assert (root / "static" / "yasgui" / "yasgui.min.css").is_file() and (root / "templates" / "base.html").is_file()


def test_project_page_shows_its_sheet(client, entity_paths):
    page = client.get(entity_paths["project"]).text
    assert "绩效目标表 Sheet fields" in page and "项目设立必要性" in page and "绩效指标 Indicators" in page
    assert "历年 History across years" in page and "引用的文件 Citations" in page


def test_policy_page_draws_its_citation_graph(client):
    page = client.get("/policy", params={"ref": "晋综改委复〔2025〕4号"}).text
    graph = page.split('<svg class="citation-graph"', 1)[1].split("</svg>", 1)[0]
    assert "晋综改委复〔2025〕4号" in graph and "《预算法》" in graph and ">based_on<" in graph
    assert "山西转型综合改革示范区行政审批局 2025" in graph  # the disclosure citing it


def test_sources_are_found_below_the_sources_folder(text_store, tmp_path):
    nested = tmp_path / "sources" / "2026"
    nested.mkdir(parents=True)
    (nested / "yangqu-park-service-center-2026.txt").write_bytes(
        (EXAMPLES / "yangqu-park-service-center-2026.txt").read_bytes())
    with TestClient(create_app(Settings(text_store, workers=1, sources=tmp_path / "sources"))) as nested_client:
        page = nested_client.get("/source/yangqu-park-service-center-2026.txt")
        assert page.status_code == 200 and 'id="L398"' in page.text
        assert nested_client.get("/source/2026%2Fyangqu-park-service-center-2026.txt").status_code == 404


def test_a_finding_row_leads_to_its_line_and_an_organizations_row_to_its_disclosure(client):
    page = client.get("/queries/findings", params={"year": "2025", "check": "sheet_vs_project"}).text
    link = re.search(r'class="row-link" href="(/source-at[^"]+)"', page).group(1).replace("&amp;", "&")
    source = client.get(link, follow_redirects=False)
    assert source.status_code == 303
    assert source.headers["location"] == "/source/administrative-approval-bureau-2025.txt#L298"
    printed = (EXAMPLES / "administrative-approval-bureau-2025.txt").read_text(encoding="utf-8").splitlines()[297]
    assert "公务出行交通补贴经费" in printed  # the row the finding is about (README: line 298)
    home = client.get("/").text
    link = re.search(r'class="row-link" href="(/disclosure[^"]+)"', home).group(1).replace("&amp;", "&")
    disclosure = client.get(link)
    assert disclosure.status_code == 200 and "/id/disclosure/" in str(disclosure.url)
    assert re.search(r'class="source-link" href="/source/[a-z-]+-20\d\d\.txt"', disclosure.text)


def test_an_organization_page_shows_its_place_in_the_tree(client, entity_paths):
    page = client.get(entity_paths["organization"]).text
    tree = page.split("Place in the organization tree", 1)[1].split("</table>", 1)[0]
    assert "综合科" in tree and "山西转型综合改革示范区" in tree  # an internal unit below, the zone above


def test_an_organization_page_draws_the_year_over_year_change_of_its_projects(tmp_path):
    from tests.test_policies import write_edited

    later = tmp_path / "jinzhong-economic-operation-2025.txt"
    write_edited(EXAMPLES / "jinzhong-economic-operation-2024.txt", later,
                 [("遗属补助\t0.70\t0.70", "遗属补助\t0.90\t0.90")], year=("2024", "2025"))
    store = str(tmp_path / "kg")
    assert api.ingest([str(EXAMPLES / "jinzhong-economic-operation-2024.txt"), str(later)], store).ok
    with TestClient(create_app(Settings(store, workers=1))) as two_years:
        page = two_years.get("/organization", params={"name": "山西转型综合改革示范区晋中开发区经济运行与安全监管部"}).text
    changes = page.split('<div class="changes">', 1)[1].split("</div></section>", 1)[0]
    # the one project whose amount changed (0.70 -> 0.90 万元), drawn as a rise; unchanged ones are left out
    assert re.findall(r'title="([^"]+)"><span class="bar-label">([^<]+)</span>', changes) == [
        ("2,000.00 元", "2024→2025 遗属补助")]
    assert 'class="change up"' in changes


def test_a_protocol_dataset_limits_the_query_to_the_graphs_named(client, text_store):
    graphs = [d.graph for d in api.documents(text_store)]
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/budgetkg/ontology#Disclosure> }"
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?d a <https://w3id.org/budgetkg/ontology#Disclosure> } }"
    one = client.get("/query", params={"query": count, "default-graph-uri": graphs[0]}, headers={"Accept": "text/csv"})
    assert one.text.split()[-1] == "1"
    form = client.post("/query", data={"query": named, "named-graph-uri": graphs[:2]}, headers={"Accept": "text/csv"})
    assert form.text.split()[-1] == "2"
    assert ask(client, named, accept="text/csv").text.split()[-1] == "3"  # no dataset: every graph
    bad = client.get("/query", params={"query": count, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400


@pytest.mark.parametrize("name", sorted(load_named_queries()))
def test_each_query_page_links_its_examples_and_they_run(client, name):
    page = client.get(f"/queries/{name}").text
    links = [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)" class="example">', page)]
    assert len(links) == len(load_named_queries()[name].examples) >= 1
    for link in links:
        assert client.get(link).status_code == 200
