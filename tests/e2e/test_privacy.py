"""Privacy and size (issue 8, item 7; DESIGN §5): no row-level record reaches any output.

A copy of the demo data gets one crime with unique marker values: its id, its coordinates (digit
runs found nowhere else) and its victim's age. The report built from it must not contain any of
them in the HTML, the executed chapters, tabeller.xlsx (every XML part, unzipped) or the
manifest. The same build carries a narrative with a script tag, which must reach the report as
text, never as a script. The demo report must stay small enough to e-mail (< 5 MB).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from lagesbild_lib.cli import main

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e

HTML = "lagesbild-hasselby-vallingby-2023.html"
MARKER_ID = "ZQX-PLANTED-4711"
LON_DIGITS = "3456789"  # the planted longitude ends ...0.0013456789
LAT_DIGITS = "9876543"  # the planted latitude ends ...0.0019876543
AGE_CANDIDATES = (117, 113, 119, 111, 109, 107, 118, 116, 114, 112)
BASE64 = re.compile(r"(data:image/[a-z+]+;base64,|\"image/png\":\s*\")[A-Za-z0-9+/=\\n]+")


def strip_images(text: str) -> str:
    """Text without embedded images (base64 can hold any digit run by chance)."""
    return BASE64.sub(r"\1", text)


def outputs_text(report: Path) -> dict[str, str]:
    """Every output of a report as searchable text: HTML, chapters, each XML part of the workbook, manifest."""
    texts = {HTML: strip_images((report / HTML).read_text(encoding="utf-8"))}
    for nb in sorted((report / "chapters").glob("*.ipynb")):
        texts[f"chapters/{nb.name}"] = strip_images(nb.read_text(encoding="utf-8"))
    with zipfile.ZipFile(report / "tabeller.xlsx") as xlsx:
        for name in xlsx.namelist():
            texts[f"tabeller.xlsx:{name}"] = xlsx.read(name).decode("utf-8", errors="replace")
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    for chapter in manifest.get("chapters", []):
        chapter.pop("seconds", None)  # timings are not data, and vary
    manifest.pop("seconds", None)
    texts["manifest.json"] = json.dumps(manifest, ensure_ascii=False)
    return texts


def whole_number(n: int) -> re.Pattern:
    """``n`` as a number of its own: not part of a longer number, a hash, a word or a path
    ("pytest-117", "a117f")."""
    return re.compile(rf"(?<![\w.,/-]){n}(?!\w|[.,]\d)")


@pytest.fixture(scope="module")
def planted(tmp_path_factory, demo_dir, built):
    """A report built from the demo data with one crime carrying marker values."""
    import pandas as pd

    baseline = "\n".join(outputs_text(built).values())
    age = next(a for a in AGE_CANDIDATES if not whole_number(a).search(baseline))

    root = tmp_path_factory.mktemp("privacy")
    data = root / "data"
    shutil.copytree(demo_dir, data)
    crimes = pd.read_parquet(data / "crimes.parquet")
    categories = pd.read_csv(data / "crime_categories.csv")
    areas = pd.read_csv(data / "areas.csv")
    violent = set(categories.loc[categories["violent"].astype(str).str.lower() == "true", "category"])
    mine = set(areas.loc[areas["parent_id"] == "hasselby-vallingby", "area_id"]) | {"hasselby-vallingby"}
    dates = pd.to_datetime(crimes["reported_date"])
    pick = crimes.index[(dates.dt.year == 2023) & (dates.dt.month == 6) & crimes["category"].isin(violent)
                        & crimes["area_id"].isin(mine) & crimes["lon"].notna()][0]
    crimes["crime_id"] = crimes["crime_id"].astype(object)
    crimes.loc[pick, "crime_id"] = MARKER_ID
    crimes.loc[pick, "lon"] = round(float(crimes.loc[pick, "lon"]), 2) + float("0.00" + "1" + LON_DIGITS)
    crimes.loc[pick, "lat"] = round(float(crimes.loc[pick, "lat"]), 2) + float("0.00" + "1" + LAT_DIGITS)
    crimes.loc[pick, "victim_age"] = age
    crimes.to_parquet(data / "crimes.parquet", index=False)

    params = root / "params.yml"
    params.write_text(
        "narrative:\n  sammantagen_bedomning: \"Lugnt år. <script>alert('planterat')</script> Slut.\"\n", encoding="utf-8"
    )
    out = root / "out"
    assert main(["build", "--data", str(data), "--out", str(out), "--params", str(params)]) == 0
    return {"report": out / "2023" / "hasselby-vallingby", "age": age, "lon": crimes.loc[pick, "lon"], "lat": crimes.loc[pick, "lat"]}


def test_markers_were_planted_in_a_crime_the_report_uses(planted):
    assert LON_DIGITS in repr(planted["lon"]) and LAT_DIGITS in repr(planted["lat"])


@pytest.mark.parametrize("what", ["crime_id", "lon", "lat", "victim_age"])
def test_no_row_level_value_in_any_output(planted, what):
    pattern = {
        "crime_id": re.compile(re.escape(MARKER_ID), re.I),
        "lon": re.compile(LON_DIGITS),
        "lat": re.compile(LAT_DIGITS),
        "victim_age": whole_number(planted["age"]),
    }[what]
    leaks = {}
    for name, text in outputs_text(planted["report"]).items():
        m = pattern.search(text)
        if m:
            leaks[name] = text[max(0, m.start() - 60): m.end() + 60]
    assert not leaks, f"{what} reached the outputs: {leaks}"


def test_every_output_was_searched(planted):
    names = outputs_text(planted["report"])
    assert HTML in names and "manifest.json" in names
    assert sum(n.startswith("chapters/") for n in names) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert sum(n.startswith("tabeller.xlsx:xl/worksheets/sheet") for n in names) >= 10


def test_script_in_narrative_is_text_in_the_report(planted):
    html = (planted["report"] / HTML).read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(" in html and "Lugnt år." in html


def test_demo_report_is_small_enough_to_email(built):
    html = built / HTML
    assert html.stat().st_size < 5 * 1024 * 1024, f"{html.stat().st_size / 1e6:.1f} MB"
    total = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024, "the whole report folder (HTML, chapters, Excel, manifest)"


# ============================================================================= disclosure control
# DESIGN §8 and issue 8, item 8: with ``suppress_below: 5`` no count from 1 to 4 is shown anywhere
# in the HTML or Excel; such counts read "<5" and what is derived from them "–". Skarpnäck: a
# stadsdelsområde with small sub-areas, one category with few crimes and few critical events. The section
# "Förändringar sedan föregående lägesbild" (issue 10) is checked on its own, as a known gap.

SMALL = 5
AREA = "skarpnack"
CHANGES_ID = "forandringar-sedan-foregaende-lagesbild"
CHANGES_CAPTION = "Förändringar sedan föregående lägesbild"
COUNT_HEADER = re.compile(r"^(Antal( \d{4})?|Antal skattningar|Våldsbrott|Totalt|varav dödlig utgång)$")
WIDE_COUNT_CAPTIONS = ("Anmälda brott per kategori", "Anmälda brott i urval per brottsgrupp", "Kritiska händelser i")
SMALL_IN_WORDS = re.compile(
    r"(?<![\d,.\u202f])[1-4] (anmälda|brott|fall|sprängning|skjutning|brandattentat|handgranat|händelse|kritisk)"
    r"|från [1-4] till|till [1-4] (anmälda|fall)|\([1-4]\)"
)


@pytest.fixture(scope="module")
def suppressed(tmp_path_factory, demo_dir):
    """Skarpnäck 2023 built with ``suppress_below: 5``: its folder."""
    root = tmp_path_factory.mktemp("suppressed")
    params = root / "params.yml"
    # the whole year as the period (a critical event late in the year counts too)
    params.write_text(f'suppress_below: {SMALL}\nperiod_end: "12-31"\n', encoding="utf-8")
    out = root / "out"
    assert main(["build", "--data", str(demo_dir), "--out", str(out), "--params", str(params), "--area", AREA]) == 0
    return out / "2023" / AREA


def split_changes(html: str) -> tuple[str, str]:
    """(the report without issue 10's section "Förändringar sedan föregående lägesbild", that section)."""
    start = html.find(f'id="{CHANGES_ID}"')
    if start < 0:
        return html, ""
    start = html.rfind("<", 0, start)
    end = html.find("<h1", start)
    end = len(html) if end < 0 else end
    return html[:start] + html[end:], html[start:end]


def html_tables(html: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table of the HTML: (caption of its figure, header cells, body rows as text)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = []
    for table in soup.find_all("table"):
        block = table.find_parent(class_=re.compile(r"\blb-figure\b"))
        caption = block.find("figcaption") if block else None
        head = table.find("thead")
        header = [c.get_text(" ", strip=True) for c in (head.find_all("tr")[-1].find_all(["th", "td"]) if head else [])]
        body = table.find("tbody") or table
        rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in body.find_all("tr")]
        text = caption.get_text(" ", strip=True) if caption else ""
        found.append((re.sub(r"^(Tabell|Diagram|Kartbild) \d+\. ", "", text), header, rows))
    return found


def count_columns(caption: str, header: list) -> list[int]:
    """Positions of the columns that hold counts of crimes, events or ratings."""
    if caption.startswith(WIDE_COUNT_CAPTIONS) and ("per typ och delområde" in caption or not caption.startswith("Kritiska")):
        return [i for i, h in enumerate(header) if i > 0 and h != "År"]
    return [i for i, h in enumerate(header) if COUNT_HEADER.match(str(h or ""))]


def small_number(value) -> bool:
    """A shown count from 1 to 4 (text as the reader sees it, or a number in Excel)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return 0 < value < SMALL
    return bool(re.fullmatch(r"[1-4]", str(value).strip()))


def test_no_small_count_in_any_html_table(suppressed):
    html, _ = split_changes((suppressed / f"lagesbild-{AREA}-2023.html").read_text(encoding="utf-8"))
    checked, masked_seen = 0, set()
    for caption, header, rows in html_tables(html):
        cols = count_columns(caption, header)
        for row in rows:
            for i in cols:
                if i < len(row):
                    checked += 1
                    assert not small_number(row[i]), f"{caption!r}: {header[i]} = {row[i]!r} in {row}"
                    if row[i] == f"<{SMALL}":
                        masked_seen.add(caption.split(".")[0][:40])
    assert checked > 200, "the check found the count tables"
    for expected in ("CompStat Skarpnäck", "Genomsnittlig förändring per år", "Anmälda våldsbrott per delområde",
                     "Kritiska händelser i Skarpnäck", "Anmälda brott per kategori", "Koncentration av anmälda våldsbrott"):
        assert any(c.startswith(expected) for c in masked_seen), f"no <{SMALL} in {expected}: {masked_seen}"


def test_compstat_rows_of_small_categories(suppressed, demo_dir):
    """The CompStat rows with a count from 1 to 4 show "<5" and "–" for their change and rate."""
    import datetime as dt

    from lagesbild_lib.analysis.crime import compstat_table
    from lagesbild_lib.data.dataset import DataSet

    data = DataSet(demo_dir)
    crimes = data.crimes_for(data.areas.descendants(AREA), 2022, 2023)
    truth = compstat_table(crimes, data.table("crime_categories"), 2023, dt.date(2023, 12, 31))
    small = truth[truth["before"].between(1, SMALL - 1) | truth["after"].between(1, SMALL - 1)]
    assert len(small) >= 1, "Skarpnäck has a CompStat category with few crimes"
    html, _ = split_changes((suppressed / f"lagesbild-{AREA}-2023.html").read_text(encoding="utf-8"))
    caption, header, rows = next(t for t in html_tables(html) if t[0].startswith("CompStat"))
    by_label = {row[0]: dict(zip(header, row)) for row in rows}
    for r in small.itertuples():
        row = by_label[r.label]
        for year, count in ((2022, r.before), (2023, r.after)):
            assert row[f"Antal {year}"] == (f"<{SMALL}" if 0 < count < SMALL else str(count)), row
        assert row["Förändring antal"] == "–" and row["Förändring %"] == "–" and row["Bedömning"] == "–", row
    big = truth[(truth["before"] >= SMALL) & (truth["after"] >= SMALL)].iloc[0]
    assert by_label[big["label"]]["Förändring %"] != "–"


def test_no_small_count_in_sentences_key_figures_or_alt_texts(suppressed):
    from bs4 import BeautifulSoup

    html, _ = split_changes((suppressed / f"lagesbild-{AREA}-2023.html").read_text(encoding="utf-8"))
    soup = BeautifulSoup(html.split('<footer')[0], "html.parser")
    texts = [el.get_text(" ", strip=True) for el in soup.select(".lb-text, .lb-missing, .lb-note, .lb-keyfigures div")]
    texts += [img.get("alt", "") for img in soup.find_all("img")]
    for text in texts:
        text = re.sub(r"Flest sådana veckor hade [^.]*\.", "", text)  # a number of weeks at level 4–5, not of crimes
        m = SMALL_IN_WORDS.search(text)
        assert not m, f"small count in: {text[max(0, m.start() - 80): m.end() + 40]!r}"
    key = {dt.get_text(strip=True): dd.get_text(strip=True) for dt, dd in zip(soup.select(".lb-keyfigures dt"), soup.select(".lb-keyfigures dd"))}
    assert key["Kritiska händelser 1 jan–31 dec 2023"] == f"<{SMALL}"
    assert any(re.search(rf"(inträffade|registrerades) färre än {SMALL} [a-zåäö]+", t) for t in texts)
    assert any("Tidslinjen över de kritiska händelserna" in t and "röjandeskydd" in t for t in texts)


def test_weekly_grid_marks_event_weeks_without_counts(suppressed):
    html, _ = split_changes((suppressed / f"lagesbild-{AREA}-2023.html").read_text(encoding="utf-8"))
    assert "kritisk händelse" in html
    assert not re.search(r"kritiska? händelser?: [1-4] ", html)


def test_no_small_count_in_any_excel_sheet(suppressed):
    from openpyxl import load_workbook

    wb = load_workbook(suppressed / "tabeller.xlsx")
    checked, masked_seen = 0, 0
    for ws in wb.worksheets[1:]:
        caption = re.sub(r"^(Tabell|Diagram|Kartbild) \d+\. ", "", str(ws["A1"].value or ""))
        if caption.startswith(CHANGES_CAPTION):
            continue
        header = [c.value for c in ws[2]]
        cols = count_columns(caption, [str(h) for h in header])
        for row in ws.iter_rows(min_row=3, values_only=True):
            for i in cols:
                checked += 1
                assert not small_number(row[i]), f"{ws.title} {caption!r}: {header[i]} = {row[i]!r} in {row}"
                masked_seen += row[i] == f"<{SMALL}"
    assert checked > 200 and masked_seen >= 10
    compstat = next(ws for ws in wb.worksheets if "CompStat" in str(ws["A1"].value))
    header = [c.value for c in compstat[2]]
    for row in compstat.iter_rows(min_row=3, values_only=True):
        row = dict(zip(header, row))
        if f"<{SMALL}" in (row["Antal 2022"], row["Antal 2023"]):
            assert row["Förändring antal"] is None and row["Förändring %"] is None


def test_intimate_partner_series_of_a_small_area_is_masked(demo_dir, tmp_path):
    """Grimsta has years with fewer than five crimes in close relationships: the chart draws them
    without their number and the sentence of the cooperation chapter gives no small count and no
    verdict (checked in-process, without a kernel)."""
    from lagesbild_lib.context import chapter_context
    from lagesbild_lib.present.pieces import Chart, Text
    from lagesbild_lib.sections import brottslighet, prioriterade

    params = tmp_path / "params.yml"
    params.write_text(f'suppress_below: {SMALL}\nperiod_end: "12-31"\n', encoding="utf-8")  # whole years
    ctx = chapter_context(2023, "grimsta", str(demo_dir), str(params))
    chart = brottslighet.intimate_partner(ctx)
    assert isinstance(chart, Chart)
    assert f"<{SMALL}" in chart.data["Antal"].tolist() and not any(small_number(v) for v in chart.data["Antal"])
    labels = [t.get_text() for t in chart.figure.axes[0].texts]
    assert f"<{SMALL}" in labels and not any(re.fullmatch(r"[1-4]", t) for t in labels)
    assert "röjandeskydd" in chart.note
    sentence = prioriterade.intimate_partner_series(ctx)  # the chapter's one sentence on the same series
    assert isinstance(sentence, Text) and "{ref:brottslighet.intimate_partner}" in sentence.markdown
    assert not re.search(r"\b(?:[1-4]|en|ett|två|tre|fyra) under", sentence.markdown) and "säkerställd" not in sentence.markdown


def test_changes_section_masks_small_counts(suppressed):
    _, section = split_changes((suppressed / f"lagesbild-{AREA}-2023.html").read_text(encoding="utf-8"))
    assert section, "the section is in the report"
    for caption, header, rows in html_tables(section):
        for row in rows:
            if row and row[0] in ("Kritiska händelser",):
                assert not any(small_number(v) for v in row[2:4]), row
    assert not SMALL_IN_WORDS.search(re.sub(r"<[^>]+>", " ", section))
