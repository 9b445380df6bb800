"""Helpers shared by several test modules (tests/ is on sys.path through its conftest.py)."""

from __future__ import annotations

from html.parser import HTMLParser


class Elements(HTMLParser):
    """Every start tag and its attributes: what a browser would act on."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    @property
    def tags(self) -> set[str]:
        return {t for t, _ in self.found}


def elements(html: str) -> Elements:
    parsed = Elements()
    parsed.feed(html)
    return parsed
