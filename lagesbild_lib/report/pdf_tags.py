"""The finishing touches that make Chromium's tagged PDF an accessible one (PDF/UA-1), with pikepdf.

Chromium prints a tagged PDF (a structure tree with headings, paragraphs, lists, tables with their
header cells, figures with the images' alt texts) and, with ``--generate-pdf-document-outline``,
bookmarks for the headings. What it leaves undone is done here, on the printed file:

- content that belongs to no element of the structure tree — the classification and page numbers
  in the page margins, cell backgrounds, rules — is marked as an artifact, so a screen reader
  skips it instead of reading it out of order;
- an HTML ``<figure>`` that holds a table or a picture with its caption becomes a grouping element
  (``/Div``): only the picture inside is a figure, and it carries the alt text;
- every link gets a description (``/Contents``): where it leads, in words;
- the bookmarks get the report's own hierarchy: the title page, the table of contents and the
  provenance section at the top level beside the chapters, each chapter's sections under it;
- language ``sv-SE``, the title shown in the viewer's title bar, and XMP metadata that states the
  title, the language and the PDF/UA-1 identification.
"""

from __future__ import annotations

import re
from pathlib import Path

LANGUAGE = "sv-SE"
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
PATH_OPS = {"m", "l", "c", "v", "y", "h", "re"}
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
DRAW_OPS = {"Do", "sh", "INLINE IMAGE"}
MARK_BEGIN = {"BDC", "BMC"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
DESCRIPTION_CHARS = 120


def finish_pdf(printed: Path, html: str, target: Path) -> None:
    """Write the accessible version of Chromium's print ``printed`` of the report ``html`` to ``target``."""
    import lxml.html
    import pikepdf

    root = lxml.html.document_fromstring(html)
    with pikepdf.open(printed) as doc:
        for page in doc.pages:
            mark_artifacts(doc, page)
        regroup_figures(doc)
        describe_links(doc, link_targets(root))
        arrange_outline(doc, heading_levels(root))
        set_document_info(doc, _text(root.find(".//title")))
        doc.save(target)


# --------------------------------------------------------------------------- artifacts
def mark_artifacts(doc, page) -> int:
    """Wrap the content of ``page`` that is outside every marked-content sequence in ``/Artifact``
    sequences; return how many were added.

    The unit wrapped is a whole text object (``BT``…``ET``) without marked content inside, a single
    text-showing operator inside a text object that also has tagged content, a path from its first
    point to its painting operator, or one image, form or shading.
    """
    import pikepdf

    ops = list(pikepdf.parse_content_stream(page))
    out: list = []
    added = 0
    depth = 0
    i = 0
    while i < len(ops):
        op = str(ops[i].operator)
        if op in MARK_BEGIN:
            depth += 1
        elif op == "EMC":
            depth = max(0, depth - 1)
        elif depth == 0:
            end = _unit_end(ops, i, op)
            if end is not None:
                out += [_begin_artifact(), *ops[i:end + 1], _end_artifact()]
                added += 1
                i = end + 1
                continue
        out.append(ops[i])
        i += 1
    if added:
        page.obj.Contents = doc.make_stream(pikepdf.unparse_content_stream(out))
    return added


def _unit_end(ops, i: int, op: str) -> int | None:
    """The index of the last operator of the untagged unit that starts at ``ops[i]``, or None when
    ``ops[i]`` draws nothing that needs marking."""
    if op == "BT":
        end = next((j for j in range(i + 1, len(ops)) if str(ops[j].operator) == "ET"), None)
        if end is None:
            return None
        inner = [str(o.operator) for o in ops[i + 1:end]]
        if any(o in MARK_BEGIN for o in inner) or not any(o in SHOW_TEXT for o in inner):
            return None  # tagged pieces inside: its untagged operators are wrapped one by one
        return end
    if op in SHOW_TEXT or op in DRAW_OPS:
        return i
    if op in PATH_OPS:
        end = next((j for j in range(i + 1, len(ops)) if str(ops[j].operator) in PAINT_OPS), None)
        if end is None or str(ops[end].operator) == "n":
            return None  # a clipping path paints nothing
        return end
    return None


def _begin_artifact():
    import pikepdf

    return pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))


def _end_artifact():
    import pikepdf

    return pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))


# --------------------------------------------------------------------------- structure tree
def struct_kids(element) -> list:
    """The kids of a structure element (structure elements, marked-content and object references)."""
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def is_struct(obj) -> bool:
    """Whether ``obj`` is a structure element (not a marked-content id or reference)."""
    import pikepdf

    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def walk_structure(doc):
    """Every structure element of ``doc``, in reading order (depth first)."""
    stack = list(reversed(struct_kids(doc.Root.StructTreeRoot))) if "/StructTreeRoot" in doc.Root else []
    while stack:
        element = stack.pop()
        if not is_struct(element):
            continue
        yield element
        stack.extend(reversed(struct_kids(element)))


def regroup_figures(doc) -> int:
    """Turn figures that group other elements (an HTML ``<figure>`` around a table, or a picture and
    its caption) into ``/Div``; return how many."""
    import pikepdf

    changed = 0
    for element in walk_structure(doc):
        if element.S == pikepdf.Name.Figure and any(is_struct(k) for k in struct_kids(element)):
            element.S = pikepdf.Name.Div
            changed += 1
    return changed


# --------------------------------------------------------------------------- links
def link_targets(root) -> dict[str, str]:
    """The text of every element of the page that has an id (what a link to it leads to)."""
    return {el.get("id"): _text(el) for el in root.iterfind(".//*[@id]")}


def describe_links(doc, targets: dict[str, str]) -> int:
    """Give each link annotation a ``/Contents`` saying where it leads; return how many."""
    import pikepdf

    described = 0
    for page in doc.pages:
        for annot in page.get("/Annots") or []:
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is not None and not isinstance(dest, pikepdf.Array):
                target = str(dest).lstrip("/")
                where = targets.get(target) or target
                text = f"Gå till {_shorten(where)}"
            elif action is not None and "/URI" in action:
                text = f"Länk till {action.URI}"
            else:
                text = "Länk inom dokumentet"
            annot.Contents = pikepdf.String(text)
            described += 1
    return described


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"


# --------------------------------------------------------------------------- bookmarks
def heading_levels(root) -> list[tuple[str, int]]:
    """Each heading of the page with its level in the bookmarks.

    Headings in ``<main>`` keep their level (h1 = a chapter); those of the title page, the table of
    contents and the provenance section start at the top level as well.
    """
    found = []
    for el in root.iter(*HEADINGS):
        level = int(el.tag[1])
        region = next((a for a in el.iterancestors() if a.tag in ("main", "header", "nav", "footer")), None)
        if region is not None and region.tag != "main":
            top = min(int(h.tag[1]) for h in region.iter(*HEADINGS))
            level = level - top + 1
        found.append((_text(el), level))
    return found


def arrange_outline(doc, headings: list[tuple[str, int]]) -> None:
    """Rebuild the bookmarks Chromium wrote with the levels of ``headings``.

    Bookmarks are matched to headings in order by their text; one that matches none keeps its depth.
    """
    import pikepdf

    with doc.open_outline() as outline:
        flat: list[tuple[str, object, int]] = []

        def collect(items, depth):
            for item in items:
                flat.append((item.title, item.destination, depth))
                collect(item.children, depth + 1)

        collect(outline.root, 1)
        if not flat:
            return
        keys = [(_key(text), level) for text, level in headings]
        pos = 0
        placed: list[tuple[object, int]] = []
        for title, dest, depth in flat:
            level = depth
            for j in range(pos, len(keys)):
                if keys[j][0] == _key(title):
                    level, pos = keys[j][1], j + 1
                    break
            placed.append((pikepdf.OutlineItem(title, dest), level))
        outline.root.clear()
        parents: list[tuple[object, int]] = []
        for item, level in placed:
            while parents and parents[-1][1] >= level:
                parents.pop()
            (parents[-1][0].children if parents else outline.root).append(item)
            parents.append((item, level))
    doc.Root.PageMode = pikepdf.Name.UseOutlines


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- document
def set_document_info(doc, title: str) -> None:
    """Title, language and the PDF/UA-1 identification (XMP), and a viewer that shows the title."""
    import pikepdf

    doc.Root.Lang = pikepdf.String(LANGUAGE)
    doc.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    prefs = doc.Root.get("/ViewerPreferences")
    if prefs is None:
        prefs = doc.Root.ViewerPreferences = pikepdf.Dictionary()
    prefs.DisplayDocTitle = True
    with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = [LANGUAGE]
        meta["pdfuaid:part"] = "1"
    doc.docinfo["/Title"] = pikepdf.String(title)


def _text(el) -> str:
    return "" if el is None else re.sub(r"\s+", " ", el.text_content()).strip()
