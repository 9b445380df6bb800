"""The shipped kommungruppsindelning is read strictly: a broken list is one Swedish sentence naming
the file, row and column, never a kommun silently without its group."""

from __future__ import annotations

import pytest

from lagesbild_lib.errors import DataError
from lagesbild_lib.importers.kommungrupp import group_of, kommungrupper, members

HEADER = "kommun_kod,kommun,year,gruppkod,kommungrupp,huvudgrupp\n"


@pytest.mark.parametrize(("body", "says"), [
    ("kommun_kod,kommun,year\n0114,Upplands Väsby,2023\n", "rad 1: kolumnen 'gruppkod' saknas"),
    (HEADER + "0114,Upplands Väsby,2023,A2,,Storstäder och storstadsnära kommuner\n", "rad 2, kolumn kommungrupp: värdet saknas"),
    (HEADER + "0114,Upplands Väsby,tjugo,A2,Pendlingskommun nära storstad,Storstäder och storstadsnära kommuner\n",
     "rad 2, kolumn year: 'tjugo' är inget årtal"),
])
def test_a_broken_list_is_one_sentence(tmp_path, body, says):
    path = tmp_path / "grupper.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match=says) as caught:
        kommungrupper(path)
    assert str(path) in str(caught.value)


def test_group_and_members():
    solna = group_of("0184")
    assert (solna.group_code, solna.group, solna.year) == ("A2", "Pendlingskommun nära storstad", 2023)
    peers = [g.name for g in members(solna)]
    assert len(peers) == 43 and "Solna" in peers and "Järfälla" in peers and "Stockholm" not in peers
    assert group_of("9999") is None
