"""The portal over a batch (``<out>/index.html``, issue 19 item 5) in Chromium: offline (no request
but its own file), 0 axe-core violations, every link leads to a file the batch wrote, sorting and
filtering work, and with JavaScript off it is a plain table with the same links."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lagesbild_lib.cli import main

pytestmark = pytest.mark.browser

# The browser tier's helpers (OpenedReport: requests recorded, axe-core injected inline).
_spec = importlib.util.spec_from_file_location("lagesbild_browser_helpers", Path(__file__).with_name("conftest.py"))
helpers = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(helpers)

AREAS = ("hasselby-vallingby", "solna")


@pytest.fixture(scope="session")
def batch_out(tmp_path_factory, demo_dir) -> Path:
    """A batch over two areas of the demo for 2023, with their public versions."""
    out = tmp_path_factory.mktemp("batch-portal")
    code = main(["batch", "--years", "2023", "--areas", ",".join(AREAS), "--data", str(demo_dir), "--out", str(out), "--workers", "1", "--offentlig"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def portal(browser, batch_out):
    context, opened = helpers.open_offline(browser, batch_out / "index.html")
    yield opened
    context.close()


def _built(out: Path) -> list[dict]:
    summary = json.loads((out / "batch-summary.json").read_text(encoding="utf-8"))
    return [r for r in summary["runs"] if r["status"] in ("ok", "up-to-date")]


def test_portal_makes_no_request_but_its_own_file(portal):
    assert portal.requests == [portal.url]
    assert portal.blocked == [] and portal.page_errors == [] and portal.console_errors == []


def test_axe_finds_no_violations_in_the_portal(portal):
    result = portal.axe()
    assert result["violations"] == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]


def test_every_link_resolves_and_every_built_report_is_linked(portal, batch_out):
    hrefs = portal.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    ids = set(portal.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    files = set()
    for href in hrefs:
        url = urlparse(href)
        assert url.scheme == "file", href
        if url.fragment and Path(unquote(url.path)) == (batch_out / "index.html").resolve():
            assert url.fragment in ids, href
            continue
        path = Path(unquote(url.path))
        assert path.is_file(), f"the portal links to {path}, which does not exist"
        files.add(path)
    built = _built(batch_out)
    assert {r["area"] for r in built} == set(AREAS)
    for run in built:
        folder = (batch_out / str(run["year"]) / run["area"]).resolve()
        assert folder / f"lagesbild-{run['area']}-{run['year']}.html" in files
        assert folder / "tabeller.xlsx" in files
        assert folder / "offentlig" / f"lagesbild-{run['area']}-{run['year']}-offentlig.html" in files


def test_tables_sort_and_filter(portal):
    page = portal.page
    names = "() => Array.from(document.querySelectorAll('#tabell-rapporter tbody tr:not([hidden]) th')).map(th => th.textContent.trim())"
    page.click("#tabell-rapporter thead th:nth-child(2) button")
    ascending = page.evaluate(names)
    assert ascending == sorted(ascending) and page.get_attribute("#tabell-rapporter thead th:nth-child(2)", "aria-sort") == "ascending"
    page.click("#tabell-rapporter thead th:nth-child(2) button")
    assert page.evaluate(names) == ascending[::-1]
    page.fill("#filter-text", "soln")
    assert page.evaluate(names) == ["Solna"]
    assert page.inner_text("#filter-count") == "Visar 1 av 2 rapporter."
    page.fill("#filter-text", "")
    assert len(page.evaluate(names)) == 2


def test_comparison_states_changes_in_the_reports_wording(portal):
    rows = portal.page.eval_on_selector_all("#tabell-jamforelse tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(rows) == 2
    for text in rows:
        assert "statistiskt säkerställd" in text or "oförändrad" in text, text
        assert "ökat" not in text and "minskat" not in text  # table cells use change_wording's nouns


def test_without_javascript_the_portal_is_a_plain_table(browser, batch_out):
    context, opened = helpers.open_offline(browser, batch_out / "index.html", javascript=False)
    try:
        page = opened.page
        assert not page.is_visible("#filter")  # the filter needs the script: hidden without it
        assert page.locator("#tabell-rapporter thead button").count() == 0
        assert page.locator("#tabell-rapporter tbody tr").count() == len(_built(batch_out))
        assert page.locator("#tabell-rapporter a[href$='.html']").count() >= len(_built(batch_out))
        assert opened.requests == [opened.url]
    finally:
        context.close()


# --------------------------------------------------------------------------- the figures (no browser)


def _row(nu, before, diff=None, verdict=None, shown=None):
    return {"Nu": nu, "Föregående": before, "Förändring": diff, "Statistiskt säkerställd": verdict, "shown": shown or {}}


def test_crime_rate_is_the_compstat_groups_over_population_with_the_poisson_test():
    from lagesbild_lib.analysis.stats import poisson_change_test
    from lagesbild_lib.report.portal import crime_rate

    rows = {"Brott mot person (anmälda brott i urval)": _row(1339, 1286), "Övriga brott (anmälda brott i urval)": _row(644, 498),
            "Folkmängd": _row(76701, 76208)}
    figure = crime_rate(rows)
    assert figure.shown == "25,9" and figure.sort == 25.9  # 1 000 × 1 983 / 76 701
    assert poisson_change_test(1784, 1983).significant
    assert figure.change == "1\u202f784 → 1\u202f983 brott: ökning, statistiskt säkerställd"
    few = crime_rate({"Rån (anmälda brott i urval)": _row(7, 3), "Folkmängd": _row(1000, 1000)})
    assert few.change.endswith("inte statistiskt säkerställd; bygger på få fall")
    masked = crime_rate({"Rån (anmälda brott i urval)": _row(None, 3), "Folkmängd": _row(1000, 1000)})
    assert masked.shown == "–" and masked.change == ""  # a group under the disclosure threshold: no rate


def test_unsafety_and_weeks_take_the_reports_own_test():
    from lagesbild_lib.report.portal import unsafe_share, weeks_at_four

    row = _row(30.2, 27.4, 2.8, "nej", {"Nu": "30\u00a0% (28–33\u00a0%)", "Förändring": "+3 procentenheter"})
    row["Jämförelse"] = "Stockholms stads trygghetsmätning 2021 → 2023"
    unsafe = unsafe_share({"Otrygga ute ensamma kvällstid": row}, "Otrygga ute ensamma kvällstid")
    assert unsafe.shown == "30\u00a0% (28–33\u00a0%)"
    assert unsafe.change == "+3 procentenheter (2021 → 2023): ökning, inte statistiskt säkerställd"
    weeks = weeks_at_four({"Veckor med nivå 4 eller 5": _row(8, 20, -12, "ja", {"Nu": "8 av 44", "Föregående": "20 av 44"})})
    assert weeks.shown == "8 av 44" and weeks.change == "20 av 44 året före: minskning, statistiskt säkerställd"
    assert weeks_at_four({}).shown == "–"


def test_a_resumed_batch_writes_the_portal_again(batch_out, demo_dir):
    """Rerunning the batch (everything up to date, no --offentlig) rewrites index.html: every report
    now "aktuell", the same links (the public versions kept), each to a file that exists."""
    import re

    before = (batch_out / "index.html").read_text(encoding="utf-8")
    assert main(["batch", "--years", "2023", "--areas", ",".join(AREAS), "--data", str(demo_dir), "--out", str(batch_out)]) == 0
    after = (batch_out / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'lb-status-up-to-date">aktuell<', after)) == len(AREAS)
    assert "0 byggda,\n2 redan aktuella" in after
    links = re.compile(r'href="([^"#]+)"')
    assert sorted(links.findall(after)) == sorted(links.findall(before))
    for href in links.findall(after):
        assert (batch_out / href).is_file(), href
