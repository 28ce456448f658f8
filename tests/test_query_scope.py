"""Scoped named queries (budgetkg.queries.scope) give the rows of the whole query.

A named query with a ``# scope:`` header first looks up the document graphs its parameters
select and then runs over just those (and budgetkg's own graphs). That is only an
optimisation: on a store of replicas (two districts' copies of the samples, in their years and
a year later: project histories, shared policies) and the 部门 and 单位 disclosures of one
organization, every case below must give exactly the rows of the unscoped query, in order, and
the scope must really leave graphs out."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from bench.replicate import replicate_text
from budgetkg import api
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.ontology import iris
from budgetkg.queries import bind, load_named_queries, named_query
from budgetkg.queries.scope import SCOPE_MARKER, SCOPES, TOP_LEVEL_WHERE, scope_query, with_dataset, with_values
from tests.conftest import EXAMPLES

DISTRICTS = ("甲东", "乙东")
SHIFTS = (0, 1)
NINE_TABLE = EXAMPLES / "nine-table"
SFJ = "上海市普陀区司法局"
JINZHONG = "山西转型综合改革示范区甲东片区晋中开发区经济运行与安全监管部"
HISTORY_ROOTS = "PREFIX bk: <https://w3id.org/budgetkg/ontology#> SELECT DISTINCT ?historyRoot { ?p bk:historyFirst ?historyRoot }"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("scope-replicas")
    files = [NINE_TABLE / "putuo-sfj-2026-dept.pdf", NINE_TABLE / "putuo-sfj-2026-unit.pdf"]
    for district in DISTRICTS:
        for shift in SHIFTS:
            for sample in sorted(EXAMPLES.glob("*.txt")):
                path = out / f"{district}-{shift}-{sample.name}"
                path.write_text(replicate_text(sample.read_text(encoding="utf-8"), district, shift),
                                encoding="utf-8")
                files.append(path)
    path = str(out / "store")
    report = api.ingest([str(f) for f in files], path)
    assert report.ok, report.failed
    return path


# (named query, parameters): each parameter that selects graphs, alone and together, a value
# that selects nothing, and the printed variants the parameters accept.
CASES = [
    ("citations", {"year": "2024"}),
    ("citations", {"organization": JINZHONG}),
    ("citations", {"organization": JINZHONG, "year": "2025"}),
    ("citations", {"year": "1999"}),
    ("projects", {"year": "2026"}),
    ("projects", {"organization": SFJ, "org_kind": "单位"}),
    ("projects", {"org_kind": "部门", "year": "2026"}),
    ("subjects", {"organization": SFJ, "year": "2026", "org_kind": "部门"}),
    ("subjects", {"year": "2027"}),
    ("findings", {"year": "2026", "severity": "violation"}),
    ("findings", {"organization": SFJ}),
    ("findings", {"year": "2025", "check": "subtotal"}),
    ("project-history", {"name": "党建工作"}),
    ("project-history", {"name": "消费券"}),
    ("project-history", {"organization": "晋中开发区经济运行与安全监管部"}),
    ("project-history", {"organization": JINZHONG, "name": "技改"}),
    ("project-history", {"name": "没有这个项目"}),
    ("projects-citing", {"policy": "晋综示发【2020】49号"}),
    ("projects-citing", {"policy": "晋综示发(2020)49号"}),
    ("projects-citing", {"policy": "房屋租赁协议"}),
    ("projects-citing", {"policy": "不存在的文件"}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values())}" for n, p in CASES])
def test_scoped_rows_equal_the_whole_query(store: str, name: str, params: dict[str, str]) -> None:
    assert scope_query(named_query(name), params), "the case must exercise a scope"
    scoped = api.query(name, params, store)
    whole = api.query(name, params, store, scoped=False)
    assert scoped.columns == whole.columns
    assert scoped.rows == whole.rows


def selected(store: str, name: str, params: dict[str, str]) -> set[str]:
    """What the scope query selects: graphs, or the values of its variable."""
    db = EmbeddedStore(store, read_only=True)
    try:
        scope = scope_query(named_query(name), params)
        assert scope
        return {row[0].value for row in db.select(scope.select).rows if row[0]}
    finally:
        db.close()


def test_a_scope_selects_only_the_graphs_asked_for(store: str) -> None:
    documents = {iris.graph(d.document_id) for d in api.documents(store)}
    assert len(documents) == 14
    # one organization and year: its 部门 and its 单位 disclosure; with the kind, one of them
    assert len(selected(store, "projects", {"organization": SFJ, "year": "2026"})) == 2
    assert len(selected(store, "projects", {"organization": SFJ, "org_kind": "单位"})) == 1
    # a year: the replicas of the 2024 sample (both districts, unshifted)
    assert len(selected(store, "citations", {"year": "2024"})) == 2
    assert selected(store, "citations", {"year": "1999"}) == set()
    # a name: one history in each district (2024 and its replica a year later)
    assert len(selected(store, "project-history", {"name": "消费券"})) == 2
    assert selected(store, "project-history", {"name": "消费券"}) <= {
        row["historyRoot"] for row in api.query(HISTORY_ROOTS, {}, store).dicts()}


def test_no_scope_without_a_selecting_parameter() -> None:
    assert scope_query(named_query("citations"), {}) is None
    # severity and check do not select graphs: every disclosure may hold such findings
    assert scope_query(named_query("findings"), {"severity": "warning"}) is None
    assert scope_query(named_query("project-history"), {}) is None
    assert scope_query(named_query("organizations"), {}) is None


def test_every_scoped_query_has_a_known_scope_and_a_top_level_where() -> None:
    scoped = {name: q for name, q in load_named_queries().items() if q.scope}
    assert sorted(scoped) == ["citations", "findings", "project-history", "projects", "projects-citing",
                              "subjects"]
    for name, query in scoped.items():
        assert query.scope in SCOPES, name
        if SCOPES[query.scope].variable:
            assert SCOPE_MARKER in query.text, name
        else:
            assert len(TOP_LEVEL_WHERE.findall(query.text)) == 1, name


def test_dataset_clauses_go_before_the_top_level_where() -> None:
    text = bind(named_query("citations"), {"year": "2024"})
    scoped = with_dataset(text, ["https://w3id.org/budgetkg/graph/a", "https://w3id.org/budgetkg/graph/b"])
    head, _, body = scoped.partition("\nWHERE {")
    assert head.endswith("FROM NAMED <https://w3id.org/budgetkg/graph/b>")
    assert head.count("FROM <") == 2 and head.count("FROM NAMED <") == 2
    assert "FROM" not in body
    with pytest.raises(ValueError, match="no graphs"):
        with_dataset(text, [])
    with pytest.raises(ValueError, match="top-level WHERE"):
        with_dataset("SELECT * { ?s ?p ?o }", ["https://w3id.org/budgetkg/graph/a"])


def test_selected_values_are_bound_at_every_scope_marker() -> None:
    text = bind(named_query("project-history"), {"name": "党建"})
    bound = with_values(text, "historyRoot", ["https://w3id.org/budgetkg/id/project/a"])
    assert SCOPE_MARKER not in bound
    assert bound.count("VALUES ?historyRoot { <https://w3id.org/budgetkg/id/project/a> }") == text.count(SCOPE_MARKER)
    assert "VALUES ?historyRoot {  }" in with_values(text, "historyRoot", [])  # nothing selected: no rows
    with pytest.raises(ValueError, match="marker"):
        with_values(bind(named_query("citations"), {}), "historyRoot", [])


def test_a_parameter_value_is_a_term_in_the_scope_query_never_text(store: str) -> None:
    evil = 'x" } } DROP ALL ; SELECT * { "'
    scope = scope_query(named_query("citations"), {"organization": evil})
    assert scope
    # one SELECT that matches the value as a name: nothing, and the store is untouched
    assert list(ox.Store().query(scope.select)) == []
    assert api.query("citations", {"organization": evil}, store).rows == []
    assert len(api.documents(store)) == 14
