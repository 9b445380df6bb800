"""Accessibility of the built reports (WCAG 2.1 AA, the level of the Swedish DOS-lagen): axe-core in
Chromium finds nothing, and what axe cannot judge is checked directly (issue 8, item 2)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

LEVEL_NAMES = ("1", "2", "3", "4", "5")


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append(f"      {node['failureSummary'][:300]}".replace("\n", " "))
    return "\n".join(lines)


def test_axe_finds_no_wcag21_aa_violations(opened):
    result = opened.axe()
    assert result["violations"] == [], "axe-core, WCAG 2.1 A/AA:\n" + _describe(result["violations"])
    ran = {r["id"] for r in result["passes"]} | {r["id"] for r in result["incomplete"]}
    for rule in ("color-contrast", "image-alt", "html-has-lang", "document-title", "list", "td-headers-attr"):
        assert rule in ran, f"axe did not run {rule}: is the page empty? ({sorted(ran)[:20]} …)"


def test_every_image_has_alt_text_stating_its_finding(opened):
    images = opened.page.evaluate(
        """() => Array.from(document.images).map(img => ({
            alt: img.getAttribute('alt'), decoded: img.naturalWidth > 0, src: img.getAttribute('src').slice(0, 22),
            picture: img.closest('.lb-slot-figure') !== null,
            caption: (img.closest('figure')?.querySelector('figcaption')?.innerText || '').trim()}))"""
    )
    assert images, "the demo reports have charts and maps"
    for img in images:
        alt = (img["alt"] or "").strip()
        assert alt, f"an image without alt text (caption: {img['caption']!r})"
        if img["picture"]:  # the analysts' own picture of a text (an organisation chart) has no numbers to state
            assert len(alt) >= 40, f"alt text should say what the picture shows: {alt!r}"
        else:
            assert len(alt) >= 40 and re.search(r"\d", alt), f"alt text should state the finding with its numbers: {alt!r}"
        assert alt not in img["caption"], f"alt text only repeats the caption: {alt!r}"
        assert img["decoded"] and img["src"].startswith("data:image/"), f"image not embedded or not shown: {img['src']}"


def test_heading_levels_never_skip(opened):
    headings = opened.page.evaluate(
        """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')).map(h => ({
            level: h.getAttribute('aria-level') ? Number(h.getAttribute('aria-level')) : Number(h.tagName.slice(1)),
            text: h.innerText.replace(/\\s+/g, ' ').trim()}))"""
    )
    assert headings and headings[0]["level"] == 1, headings[:3]
    assert all(h["text"] for h in headings), "empty heading"
    skips = [(a["text"], b["text"], a["level"], b["level"]) for a, b in zip(headings, headings[1:]) if b["level"] > a["level"] + 1]
    assert skips == [], f"heading levels skip: {skips}"


def test_every_table_has_header_cells(opened):
    tables = opened.page.evaluate(
        """() => Array.from(document.querySelectorAll('table')).map(t => ({
            cls: t.className, rows: t.rows.length,
            th: t.querySelectorAll('th').length, headTh: t.querySelectorAll('thead th').length,
            rowsWithoutHeader: Array.from(t.tBodies).flatMap(b => Array.from(b.rows)).filter(r => !r.querySelector('th')).length,
            caption: (t.closest('figure')?.querySelector('figcaption')?.innerText || t.caption?.innerText || '').slice(0, 60)}))"""
    )
    assert len(tables) >= 8
    for t in tables:
        assert t["th"] > 0 and t["headTh"] > 0, f"table without column headers: {t}"
    numbered = [t for t in tables if t["caption"]]
    assert numbered, "numbered tables are in figures with captions"
    for t in numbered:
        assert t["rowsWithoutHeader"] == 0, f"a numbered table has rows without a row header: {t}"


def _rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """The WCAG contrast ratio of two opaque CSS colours (``rgb(…)``)."""
    a, b = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_of_contrast_helper():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


def test_level_colours_contrast_with_their_numbers(opened):
    cells = opened.page.evaluate(
        """() => Array.from(document.querySelectorAll('[class*="lb-level-"]'))
            .filter(e => /\\blb-level-[1-5]\\b/.test(e.className))
            .map(e => { const s = getComputedStyle(e);
                return {level: e.className.match(/\\blb-level-([1-5])\\b/)[1], color: s.color, bg: s.backgroundColor,
                        size: parseFloat(s.fontSize), text: e.textContent.trim()}; })"""
    )
    assert {c["level"] for c in cells} == set(LEVEL_NAMES), "the legend shows every level"
    low = []
    for c in cells:
        assert _rgb(c["bg"])[3] == 1.0, f"level {c['level']} has no opaque background: {c['bg']}"
        assert c["text"].startswith(c["level"]), f"the level number is printed in the cell: {c}"
        ratio = contrast(c["color"], c["bg"])
        if ratio < 4.5:
            low.append((c["level"], c["color"], c["bg"], round(ratio, 2)))
    assert low == [], f"level colours below 4.5:1 against their text: {sorted(set(low))}"
