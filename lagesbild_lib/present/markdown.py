"""Markdown from params (narrative, comments) rendered to sanitised HTML.

No script, no event handlers, no ``javascript:`` links and no external images reach the report.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _link_open(self, tokens, idx, options, env):
    """External links become plain text with the address in brackets: the report has no href off the page."""
    href = tokens[idx].attrGet("href") or ""
    if href.startswith("#") or href.startswith("mailto:"):
        return self.renderToken(tokens, idx, options, env)
    return "<span>"


def _link_close(self, tokens, idx, options, env):
    opener = next(t for t in reversed(tokens[:idx]) if t.type == "link_open")
    href = opener.attrGet("href") or ""
    if href.startswith("#") or href.startswith("mailto:"):
        return "</a>"
    shown = html.escape(href) if href.startswith(("http://", "https://")) else ""
    return f"</span> ({shown})" if shown else "</span>"


_MD.add_render_rule("link_open", _link_open)
_MD.add_render_rule("link_close", _link_close)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "span", "sup", "sub",
}


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to embed in the report.

    Raw HTML in the text is escaped (not interpreted); external links are shown as text with
    their address (the report never links or loads off the page); ``javascript:`` and other
    schemes are dropped; images are dropped.
    """
    rendered = _MD.render(text or "", {})
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"mailto"},
        link_rel="noopener noreferrer",
    ).strip()
