"""Browser tier: the built reports opened in headless Chromium (playwright), checked with axe-core
and the Nu Html Checker (vnu.jar).

Three reports are checked, each built once per session on the demo data: the default one
(Hässelby-Vällingby 2023, the ``built`` fixture of ``tests/conftest.py``), Solna 2020 (a kommun
with two levels of areas and a year of 53 ISO weeks) and the second demo outside Stockholm, Gävle
2023 (the ``gavle_built`` fixture of ``tests/conftest.py``). Each is opened once, offline, and every
request it makes is recorded.

What the tier needs besides the Python packages: Debian's ``chromium`` at ``/usr/bin/chromium``
(or ``$LAGESBILD_CHROMIUM``), the Node packages of ``tests/browser/package.json``
(``npm ci --prefix tests/browser``) and Java for vnu.jar. Locally, whatever is missing skips the
tests that need it, with the reason; with ``LAGESBILD_BROWSER_TESTS=required`` (set by ``.ci/run``)
it fails them instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lagesbild_lib.cli import main

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
_NAMED = os.environ.get("LAGESBILD_CHROMIUM", "").strip() or "/usr/bin/chromium"
#: Debian's Chromium, or the program named by LAGESBILD_CHROMIUM (as for ``lagesbild build --pdf``).
CHROMIUM = Path(shutil.which(_NAMED) or _NAMED)
#: Chromium without anything that phones home, so the only requests are the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
NPM_HINT = "run: npm ci --prefix tests/browser"

#: The reports of this tier: id → (year, area).
REPORTS = {"hasselby-vallingby-2023": (2023, "hasselby-vallingby"), "solna-2020": (2020, "solna"), "gavle-2023": (2023, "gavle")}
#: The session fixture that builds each report.
BUILT_BY = {"hasselby-vallingby-2023": "built", "solna-2020": "solna_built", "gavle-2023": "gavle_built"}


from support import browser_tests_required, need  # noqa: E402,F401 — one rule for tools, shared with tests/e2e


# --------------------------------------------------------------------------- reports


@pytest.fixture(scope="session")
def solna_built(tmp_path_factory, demo_dir) -> Path:
    """Solna 2020 built on the demo data: a two-level kommun in a year of 53 ISO weeks."""
    out = tmp_path_factory.mktemp("outputs-solna")
    assert main(["build", "--year", "2020", "--area", "solna", "--data", str(demo_dir), "--out", str(out)]) == 0
    return out / "2020" / "solna"


@pytest.fixture(scope="session", params=list(REPORTS))
def report_html(request) -> Path:
    """The HTML file of each report of this tier (built once per session)."""
    year, area = REPORTS[request.param]
    folder = request.getfixturevalue(BUILT_BY[request.param])
    path = folder / f"lagesbild-{area}-{year}.html"
    assert path.is_file(), path
    return path


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed; run: pip install -e '.[test]'")
    need(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), f"no Chromium at {CHROMIUM}; run: apt-get install chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class OpenedReport:
    """A report open in Chromium, with everything it asked for and complained about."""

    path: Path
    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    _axe: dict | None = None

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()

    def axe(self) -> dict:
        """axe-core's results at WCAG 2.0/2.1 A and AA (run once; the script is injected inline)."""
        need(AXE_JS.is_file(), f"axe-core is not installed ({AXE_JS} missing); {NPM_HINT}")
        if self._axe is None:
            self.page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
            self._axe = self.page.evaluate(
                "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
                " resultTypes: ['violations']})"
            )
        return self._axe


def open_offline(browser, path: Path, javascript: bool = True):
    """``path`` opened as ``file://`` in an offline context: every request is recorded, and any
    request that is not ``file:`` or ``data:`` is aborted (it must not happen at all). Returns the
    context (to close) and the :class:`OpenedReport`."""
    context = browser.new_context(offline=True, viewport=VIEWPORT, service_workers="block", java_script_enabled=javascript)
    page = context.new_page()
    report = OpenedReport(path, page)

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            report.blocked.append(r.request.url)
            r.abort("blockedbyclient")

    context.route("**/*", route)
    context.on("request", lambda req: report.requests.append(req.url))
    page.on("console", lambda msg: report.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: report.page_errors.append(str(exc)))
    page.on("websocket", lambda ws: report.websockets.append(ws.url))
    page.goto(report.url, wait_until="load")
    return context, report


@pytest.fixture(scope="session")
def opened(browser, report_html):
    """The report opened offline (:func:`open_offline`), once the network is idle."""
    context, report = open_offline(browser, report_html)
    report.page.wait_for_load_state("networkidle")
    yield report
    context.close()


# --------------------------------------------------------------------------- Nu Html Checker


@pytest.fixture(scope="session")
def vnu():
    """A function running the Nu Html Checker on one file; returns its JSON messages."""
    need(shutil.which("java") is not None, "java is not installed (the Nu Html Checker needs it); run: apt-get install default-jre-headless")
    need(VNU_JAR.is_file(), f"vnu-jar is not installed ({VNU_JAR} missing); {NPM_HINT}")

    def check(path: Path) -> list[dict]:
        import json

        done = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", str(path)],
            capture_output=True, text=True, timeout=300, check=False,
        )
        try:
            return json.loads(done.stdout)["messages"]
        except (json.JSONDecodeError, KeyError) as exc:
            raise AssertionError(f"vnu.jar gave no JSON (exit {done.returncode}): {done.stderr[-2000:]}") from exc

    return check
