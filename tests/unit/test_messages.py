"""Every message of the command line is Swedish (DESIGN §9, issue 15): the help of every command,
argparse's own mistakes, and counts with their words in the right number. The bad-input catalogue
(tests/e2e/test_bad_input.py) checks the error sentences of bad data and params the same way."""

from __future__ import annotations

import argparse
import re

import pytest

from lagesbild_lib.cli import build_parser, main

COMMANDS = ["build", "check", "demo-data", "batch", "edit", "diff", "import"]

#: English that must not show in a help text (argparse's headings and the usual words of a help line).
ENGLISH_HELP = re.compile(
    r"usage:|options:|positional arguments|optional arguments|show this help|"
    r"\b(the|and|or|of|to|with|is|not|default|file|folder|show|this|when|which|into|from|only|every|"
    r"expected|unknown|cannot|required|repeatable|write|output)\b", re.I
)


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_swedish(capsys, command):
    text = _help(capsys, *([command] if command else []))
    assert text.startswith("användning: lagesbild")
    assert "flaggor:" in text and "visa den här hjälpen och avsluta" in text
    prose = re.sub(r"--[\w-]+|\{[^}]*\}|\b(build|check|demo-data|batch|edit|diff|import)\b", " ", text)
    assert not ENGLISH_HELP.findall(prose), ENGLISH_HELP.findall(prose)


@pytest.mark.parametrize("argv, says", [
    ([], "lagesbild: följande argument krävs: KOMMANDO; se 'lagesbild --help'"),
    (["biuld"], "lagesbild: argumentet KOMMANDO: ogiltigt val: 'biuld' (välj bland 'build', "),
    (["build", "--year", "tjugo"], "lagesbild build: argumentet --year: värdet 'tjugo' är inte giltigt; förväntade ett heltal; se 'lagesbild build --help'"),
    (["build", "--year"], "lagesbild build: argumentet --year: förväntade ett värde"),
    (["build", "--workers", "0"], "argumentet --workers: värdet '0' är inte giltigt; förväntade ett heltal som är minst 1"),
    (["build", "--bogus"], "lagesbild: argument som inte känns igen: --bogus; se 'lagesbild --help'"),
    (["batch", "--years", "x", "--areas", "all"], "argumentet --years: värdet 'x' är inte giltigt; förväntade år som 2021-2023"),
    (["batch"], "lagesbild batch: följande argument krävs: --years, --areas"),
    (["import", "excel", "x.csv", "--out", "y"], "lagesbild import: argumentet TYP: ogiltigt val: 'excel'"),
    (["import", "est", "x.csv", "--out", "y", "--year", "2023x"], "argumentet --year: värdet '2023x' är inte giltigt"),
])
def test_argparse_mistakes_are_one_swedish_sentence(capsys, argv, says):
    with pytest.raises(SystemExit) as done:
        main(argv)
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.count("\n") == 1
    assert says in err, err


def test_argparse_is_left_as_it_was():
    """The Swedish texts are argparse's only while lagesbild's parser works: other code in the same
    process (a notebook, a test runner) gets argparse as it is."""
    import gettext

    build_parser().format_help()
    with pytest.raises(SystemExit):
        main(["build", "--year", "x"])
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    other = argparse.ArgumentParser(prog="other")
    assert "usage: other" in other.format_help()


def test_counts_have_their_words_in_the_right_number(tmp_path):
    from lagesbild_lib.data.validate import Problems
    from lagesbild_lib.errors import plural

    assert plural(1, "rad", "rader") == "1 rad" and plural(2, "rad", "rader") == "2 rader" and plural(0, "fil", "filer") == "0 filer"
    problems = Problems()
    problems.add("a.csv, rad 2, kolumn 'x': värdet 'y' är inte giltigt", key="k", more=1, rows=" i samma kolumn")
    problems.add("b.csv, rad 2, kolumn 'x': värdet 'y' är inte giltigt", key="l", more=2, rows=" i samma kolumn")
    assert problems.messages[0].endswith("(och 1 rad till i samma kolumn)")
    assert problems.messages[1].endswith("(och 2 rader till i samma kolumn)")


def test_operating_system_errors_are_said_in_swedish():
    import errno

    from lagesbild_lib.errors import os_reason

    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "disken är full"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "åtkomst nekad"
    assert os_reason(OSError(errno.EPIPE, "Broken pipe")) == "Broken pipe"  # a rare one: the system's own words


def test_json_and_yaml_complaints_are_said_in_swedish(tmp_path):
    import json

    from lagesbild_lib.errors import ConfigError, json_problem, yaml_problem
    from lagesbild_lib.params import read_yaml

    with pytest.raises(json.JSONDecodeError) as bad:
        json.loads('{"a": }')
    assert json_problem(bad.value) == "ett värde saknas"
    assert yaml_problem("expected ',' or ']', but got '<stream end>'") == "förväntade ',' eller ']' men hittade filens slut"
    (tmp_path / "p.yml").write_text("title: [x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p.yml, rad 2, position 1: ogiltig YAML \(förväntade ',' eller '\]' men hittade filens slut\)"):
        read_yaml(tmp_path / "p.yml")
