"""The built reports are valid HTML5 by the Nu Html Checker (vnu.jar, the W3C validator's engine)
(issue 8, item 3)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _describe(messages: list[dict]) -> str:
    return "\n".join(
        f"  line {m.get('lastLine', '?')}: {m['message']}  …{m.get('extract', '')[:100]!r}" for m in messages[:20]
    )


@pytest.fixture(scope="session")
def vnu_messages(vnu, report_html) -> list[dict]:
    return vnu(report_html)


def test_report_has_no_html_errors(vnu_messages):
    errors = [m for m in vnu_messages if m["type"] != "info"]
    assert errors == [], f"{len(errors)} error(s) by the Nu Html Checker:\n{_describe(errors)}"


def test_report_has_no_html_warnings(vnu_messages):
    # Plain "info" messages (e.g. the trailing slash nbconvert writes on void elements) are not warnings.
    warnings = [m for m in vnu_messages if m["type"] == "info" and m.get("subType") == "warning"]
    assert warnings == [], f"{len(warnings)} warning(s) by the Nu Html Checker:\n{_describe(warnings)}"
