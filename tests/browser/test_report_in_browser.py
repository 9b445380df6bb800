"""The built reports in headless Chromium: offline, nothing fetched, something drawn, no errors,
and a table of contents that works (issue 8, item 1)."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.browser


def test_the_only_requests_are_the_report_itself(opened):
    own = opened.url
    assert opened.page.url == own
    assert own in opened.requests, f"the page load itself is recorded: {opened.requests[:5]}"
    others = [u for u in opened.requests if not (u.startswith("data:") or u.split("#", 1)[0] == own)]
    assert others == [], f"the report asked for something other than itself: {others[:10]}"
    assert opened.blocked == [] and opened.websockets == []


def test_no_console_errors(opened):
    assert opened.console_errors == [], opened.console_errors[:10]
    assert opened.page_errors == [], opened.page_errors[:10]


def test_full_page_screenshot_is_not_blank(opened, tmp_path_factory):
    from PIL import Image

    png = opened.page.screenshot(full_page=True, type="png")
    shot = tmp_path_factory.mktemp("screenshots") / f"{opened.path.stem}.png"
    shot.write_bytes(png)  # kept for a look when the test fails
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    view = opened.page.viewport_size
    assert width >= view["width"] and height > 5 * view["height"], f"a whole report is long: {image.size} ({shot})"
    for part, box in (("top", (0, 0, width, view["height"])), ("whole page", (0, 0, width, height)),
                      ("bottom half", (0, height // 2, width, height))):
        region = image.crop(box)
        colours = region.getcolors(maxcolors=1 << 24)
        white = next((n for n, c in colours if c == (255, 255, 255)), 0)
        drawn = 1 - white / (region.width * region.height)
        assert len(colours) > 200 and drawn > 0.03, f"{part} of the screenshot looks blank: {len(colours)} colours, {drawn:.1%} not white ({shot})"


TOC_JS = """() => Array.from(document.querySelectorAll('nav.toc a[href]')).map(a => {
    const href = a.getAttribute('href');
    const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    return {href, text: a.innerText.replace(/\\s+/g, ' ').trim(),
            tag: target ? target.tagName.toLowerCase() : null,
            heading: target ? target.innerText.replace(/\\s+/g, ' ').trim() : null};
})"""


def test_table_of_contents_links_resolve_to_headings(opened):
    links = opened.page.evaluate(TOC_JS)
    assert len(links) >= 10, links
    broken = [link["href"] for link in links if link["tag"] not in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert broken == [], f"table-of-contents links without a heading of that id: {broken}"
    differ = [(link["text"], link["heading"]) for link in links if link["text"] != link["heading"]]
    assert differ == [], f"a link's text is not its heading's: {differ[:5]}"
    listed = {link["href"][1:] for link in links}
    chapters = opened.page.evaluate("() => Array.from(document.querySelectorAll('main h1, main h2')).map(h => h.id)")
    assert chapters and set(chapters) <= listed, f"headings missing from the contents: {sorted(set(chapters) - listed)}"


def test_clicking_a_contents_link_scrolls_to_its_heading(opened):
    page = opened.page
    outside = page.evaluate(
        """() => {
            const out = [];
            for (const a of document.querySelectorAll('nav.toc a[href^="#"]')) {
                const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
                if (!target) { out.push([a.getAttribute('href'), 'no target']); continue; }
                window.scrollTo(0, 0);
                a.click();
                const top = target.getBoundingClientRect().top;
                if (!(top >= -1 && top < window.innerHeight)) out.push([a.getAttribute('href'), top]);
            }
            window.scrollTo(0, 0);
            return out;
        }"""
    )
    assert outside == [], f"after a click the heading is not in view: {outside[:5]}"


def test_every_link_stays_on_the_page_and_resolves(opened):
    links = opened.page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    )
    off = [h for h in links if not h.startswith(("#", "mailto:"))]
    assert off == [], f"links off the page: {off[:10]}"
    missing = opened.page.evaluate(
        """(hrefs) => hrefs.filter(h => h.startsWith('#') && !document.getElementById(decodeURIComponent(h.slice(1))))""",
        links,
    )
    assert missing == [], f"in-page links without a target (cross-references included): {missing[:10]}"
