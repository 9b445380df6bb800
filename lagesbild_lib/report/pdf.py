"""The report as a PDF (``lagesbild build --pdf``), printed by a headless Chromium.

The print stylesheet of the report does the layout (A4, a new page for each chapter, the weekly
grid in landscape, the classification in the header of every page). Chromium is found on the
PATH (``chromium``, ``chromium-browser``, ``google-chrome``…) or named by ``LAGESBILD_CHROMIUM``;
it runs with a throw-away profile and no network activity of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from lagesbild_lib.errors import ConfigError, OutputError, os_reason

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
INSTALL_HINT = (
    "--pdf behöver Chromium (eller Google Chrome), som inte hittades; installera det "
    "(Debian/Ubuntu: 'sudo apt-get install chromium', Windows/macOS: installera Google Chrome) "
    "eller ange programmet i miljövariabeln LAGESBILD_CHROMIUM, och bygg sedan igen"
)
TIMEOUT_S = 180


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
    """The command line that prints ``html`` to ``pdf`` (no header/footer of Chromium's own)."""
    return [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-first-run",
        "--no-default-browser-check", f"--user-data-dir={profile}", f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer", Path(html).resolve().as_uri(),
    ]


def html_to_pdf(html: Path, pdf: Path, chromium: str | None = None) -> Path:
    """Print the report ``html`` to ``pdf`` with headless Chromium.

    Raises
    ------
    ConfigError
        No Chromium installed.
    OutputError
        Chromium failed or wrote no PDF.
    """
    program = chromium or require_chromium()
    pdf = Path(pdf).resolve()
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lagesbild-chromium-") as profile:
        try:
            done = subprocess.run(
                chromium_command(program, html, pdf, Path(profile)),
                capture_output=True, text=True, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise OutputError(f"{program} blev inte klar med att skriva ut {html.name} som PDF inom {TIMEOUT_S} s") from None
        except OSError as exc:
            raise OutputError(f"{program} kunde inte startas för att skriva ut PDF-filen ({os_reason(exc)})") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["inget meddelande"]
        raise OutputError(f"{program} misslyckades med att skriva ut {html.name} som PDF (felkod {done.returncode}: {last[0]})")
    return pdf
