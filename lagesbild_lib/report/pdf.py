"""The report as an accessible PDF (``lagesbild build --pdf``, PDF/UA-1), printed by a headless Chromium.

The print stylesheet of the report does the layout (A4, a new page for each chapter, the weekly
grid in landscape, the classification in the header and "Sida X av Y" in the footer of every
page). Chromium prints a tagged PDF with bookmarks for the headings; it prints twice, so that the
table of contents shows the page of each heading (:mod:`.pdf_toc`), and :mod:`.pdf_tags` finishes
the tagging (artifacts, figures, link descriptions, language, title, XMP). Chromium is found on
the PATH (``chromium``, ``chromium-browser``, ``google-chrome``…) or named by
``LAGESBILD_CHROMIUM``; it runs with a throw-away profile and no network activity of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lagesbild_lib.errors import ConfigError, OutputError, os_reason
from lagesbild_lib.report.pdf_tags import finish_pdf
from lagesbild_lib.report.pdf_toc import (
    destination_pages,
    toc_targets,
    with_page_numbers,
)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
INSTALL_HINT = (
    "--pdf behöver Chromium (eller Google Chrome), som inte hittades; installera det "
    "(Debian/Ubuntu: 'sudo apt-get install chromium', Windows/macOS: installera Google Chrome) "
    "eller ange programmet i miljövariabeln LAGESBILD_CHROMIUM, och bygg sedan igen"
)
TIMEOUT_S = 180
#: Prints at most: the first lays the pages out, the second prints the page numbers in the table of
#: contents, and a third is needed only when the numbers themselves moved a heading to another page.
MAX_PRINTS = 3


def find_chromium() -> str | None:
    """The Chromium program to print with, or None when none is installed."""
    named = os.environ.get("LAGESBILD_CHROMIUM", "").strip()
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium program, checked before anything is built.

    Raises
    ------
    ConfigError
        None is installed (exit code 2), with a sentence on how to install one.
    """
    found = find_chromium()
    if found is None:
        raise ConfigError(INSTALL_HINT)
    return found


def chromium_command(chromium: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    """The command line that prints ``html`` to a tagged ``pdf`` with bookmarks for its headings
    (no header/footer of Chromium's own: the print stylesheet has them)."""
    return [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-first-run",
        "--no-default-browser-check", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer", "--generate-pdf-document-outline", Path(html).resolve().as_uri(),
    ]


_DATA_DETAILS_RE = re.compile(r'<details class="lb-data"(?![^>]*\bopen\b)')


def open_data_tables(html: str) -> str:
    """The page with every chart's and map's data panel ("Siffrorna bakom …") open: on paper the
    numbers behind a figure are printed under it (DESIGN §9), as a screen reader reads them."""
    return _DATA_DETAILS_RE.sub('<details class="lb-data" open', html)


def html_to_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print the report ``html`` to an accessible ``pdf`` with headless Chromium.

    The table of contents gets the page number of each heading: the page is printed once with
    placeholders, then again with the pages where the headings landed, until the numbers agree
    with the print (at most :data:`MAX_PRINTS` times).

    Raises
    ------
    ConfigError
        No Chromium installed.
    OutputError
        Chromium failed or wrote no PDF.
    """
    program = chromium or require_chromium()
    html, pdf = Path(html), Path(pdf).resolve()
    pdf.unlink(missing_ok=True)
    source = open_data_tables(html.read_text(encoding="utf-8"))
    targets = toc_targets(source)
    with tempfile.TemporaryDirectory(prefix="lagesbild-pdf-") as tmp:
        work = Path(tmp)
        copy, printed = work / html.name, work / "utskrift.pdf"
        pages: dict[str, int] | None = None
        for _ in range(MAX_PRINTS):
            copy.write_text(with_page_numbers(source, pages), encoding="utf-8")
            _print(program, copy, printed, work / "profil", shown=html.name)
            if not targets:
                break
            landed = destination_pages(printed)
            landed = {t: landed[t] for t in targets if t in landed}
            if landed == pages:
                break
            pages = landed
        try:
            finish_pdf(printed, source, pdf)
        except OSError as exc:
            raise OutputError(f"PDF-filen {pdf} kunde inte skrivas ({os_reason(exc)})") from None
    return pdf


def _print(program: str, html: Path, pdf: Path, profile: Path, shown: str) -> None:
    """One print of ``html`` to ``pdf`` (``shown``: the report's name in messages)."""
    pdf.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            chromium_command(program, html, pdf, profile),
            capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, check=False,
        )
    except subprocess.TimeoutExpired:
        raise OutputError(f"{program} blev inte klar med att skriva ut {shown} som PDF inom {TIMEOUT_S} s") from None
    except OSError as exc:
        raise OutputError(f"{program} kunde inte startas för att skriva ut PDF-filen ({os_reason(exc)})") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["inget meddelande"]
        raise OutputError(f"{program} misslyckades med att skriva ut {shown} som PDF (felkod {done.returncode}: {last[0]})")
