"""The demo report's reviewed snapshot: a fingerprint of everything a reader sees in the report
and in its workbook, so that a change to the library that changes the report cannot slip by.

The fingerprint covers the HTML without its build time, its provenance section (paths, hashes,
versions) and the bytes of its images (which depend on the plotting library's version; two
builds in one environment are compared byte for byte by the reproducibility test), and every
cell value of ``tabeller.xlsx``.

When a change to the report is intended, review the report, then record the new fingerprint::

    .venv/bin/python tests/snapshot.py --update          # builds the demo report into a temp folder
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "demo-report-2023.json"
HTML = "lagesbild-hasselby-vallingby-2023.html"


def normalised_html(html: str) -> str:
    html = re.sub(r'<time class="build-time">[^<]*</time>', "", html)
    html = re.sub(r'<(footer|section|div|details)\b[^>]*class="[^"]*\bprovenance\b[^"]*"[^>]*>.*?</\1>', "", html, flags=re.S)
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,…", html)


def workbook_values(path: Path) -> list:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return [[sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]] for sheet in book.worksheets]


def fingerprint(report_dir: Path) -> dict[str, str]:
    html = normalised_html((report_dir / HTML).read_text(encoding="utf-8"))
    cells = json.dumps(workbook_values(report_dir / "tabeller.xlsx"), ensure_ascii=False, default=str)
    return {
        "html": hashlib.sha256(html.encode("utf-8")).hexdigest(),
        "tabeller.xlsx": hashlib.sha256(cells.encode("utf-8")).hexdigest(),
    }


def recorded() -> dict[str, str]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def _update() -> int:
    import tempfile

    from lagesbild_lib.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        code = main(["build", "--no-cache", "--out", tmp])
        if code:
            return code
        found = fingerprint(Path(tmp) / "2023" / "hasselby-vallingby")
    SNAPSHOT.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.exit(_update() if "--update" in sys.argv[1:] else print(json.dumps(recorded(), indent=2)))
