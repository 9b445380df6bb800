"""Page numbers in the printed table of contents, for the PDF version of the report (:mod:`.pdf`).

A browser cannot know on which page a heading will land before it has laid the pages out, so the
PDF is printed twice: first with a placeholder in each entry of the table of contents, then with
the page numbers read from that first print. Chromium writes a named destination for every element
a link points to, and every entry of the table of contents links to its heading (``href="#id"``),
so the destinations say on which page each heading landed. The page numbers go into a copy of the
page that is only printed; the HTML report itself keeps its plain table of contents, since a screen
has no pages.
"""

from __future__ import annotations

import re
from pathlib import Path

#: An entry's link in the table of contents (``<nav class="toc">``), as stitch writes it.
TOC_LINK_RE = re.compile(r'(<a\b[^>]*\bhref="#([^"]+)"[^>]*>.*?</a>)', re.DOTALL)
TOC_NAV_RE = re.compile(r'<nav\b[^>]*\bclass="toc"[^>]*>')
#: What stands in for a page number before the pages are known: as wide as a three-digit number,
#: so the first print lays the table of contents out as the second one will.
PLACEHOLDER = "000"


def _toc_span(html: str) -> tuple[int, int]:
    """Where the table of contents is in ``html`` (start and end offsets); (-1, -1) when absent."""
    found = TOC_NAV_RE.search(html)
    if found is None:
        return -1, -1
    start = found.start()
    end = html.find("</nav>", start)
    return (start, end) if end > 0 else (-1, -1)


def toc_targets(html: str) -> list[str]:
    """The ids the entries of the table of contents link to, in order."""
    start, end = _toc_span(html)
    return [] if start < 0 else [m.group(2) for m in TOC_LINK_RE.finditer(html, start, end)]


def with_page_numbers(html: str, pages: dict[str, int] | None) -> str:
    """``html`` with a page number after each link of the table of contents.

    ``pages`` maps a heading's id to its page (1 = the first page of the PDF); None prints the
    placeholder everywhere. An entry whose heading is on no page (not printed) gets no number.
    """
    start, end = _toc_span(html)
    if start < 0:
        return html

    def number(match: re.Match) -> str:
        page = PLACEHOLDER if pages is None else pages.get(match.group(2))
        if page is None:
            return match.group(1)
        return f'{match.group(1)}<span class="lb-toc-page">{page}</span>'

    return html[:start] + TOC_LINK_RE.sub(number, html[start:end]) + html[end:]


def destination_pages(pdf: Path) -> dict[str, int]:
    """The page (1-based) of each named destination of the PDF ``pdf``, keyed by the element id."""
    import pikepdf

    with pikepdf.open(pdf) as doc:
        page_of = {page.objgen: i + 1 for i, page in enumerate(doc.pages)}
        found: dict[str, int] = {}
        dests = doc.Root.get("/Dests")
        if dests is not None:
            for key in dests.keys():  # noqa: SIM118 (a pikepdf Dictionary: keys() lists its names)
                target = dests[key]
                if isinstance(target, pikepdf.Dictionary):
                    target = target.get("/D")
                if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in page_of:
                    found[key.lstrip("/")] = page_of[target[0].objgen]
        names = doc.Root.get("/Names")
        if names is not None and "/Dests" in names:
            tree = pikepdf.NameTree(names.Dests)
            for key, target in tree.items():
                if isinstance(target, pikepdf.Dictionary):
                    target = target.get("/D")
                if isinstance(target, pikepdf.Array) and len(target) and target[0].objgen in page_of:
                    found.setdefault(str(key), page_of[target[0].objgen])
        return found
