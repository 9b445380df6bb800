"""``lagesbild fetch`` against a local stub server that replays recorded answers in the APIs'
documented formats (SCB PxWebApi v2 JSON-stat 2.0, Kolada v3): split queries, pagination, a
429 with Retry-After, an HTTP error, a timeout, no network. No test touches the internet."""

from __future__ import annotations

import json
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from support import run_cli

API = Path(__file__).resolve().parents[1] / "fixtures" / "api"


def _load(name: str) -> dict:
    return json.loads((API / name).read_text(encoding="utf-8"))


def slice_cube(cube: dict, selection: list[dict]) -> dict:
    """The part of a recorded JSON-stat 2.0 cube that a PxWebApi v2 selection asks for."""
    chosen = {s["variableCode"]: s["valueCodes"] for s in selection}
    dims = cube["id"]
    codes = {d: list(cube["dimension"][d]["category"]["index"]) for d in dims}
    keep = {d: [c for c in codes[d] if c in chosen.get(d, codes[d])] for d in dims}
    strides, step = {}, 1
    for d in reversed(dims):
        strides[d] = step
        step *= len(codes[d])
    values, status = [], {}

    def walk(depth: int, offset: int) -> None:
        if depth == len(dims):
            if str(offset) in cube.get("status", {}):
                status[str(len(values))] = cube["status"][str(offset)]
            values.append(cube["value"][offset])
            return
        d = dims[depth]
        for c in keep[d]:
            walk(depth + 1, offset + codes[d].index(c) * strides[d])

    walk(0, 0)
    out = json.loads(json.dumps(cube))
    out["size"] = [len(keep[d]) for d in dims]
    for d in dims:
        cat = out["dimension"][d]["category"]
        cat["index"] = {c: i for i, c in enumerate(keep[d])}
        cat["label"] = {c: cat["label"][c] for c in keep[d]}
    out["value"], out["status"] = values, status
    return out


class Stub:
    """The recorded API: ``/scb/…`` (PxWebApi v2), ``/kolada/v3/…``, ``/broken/…`` (HTTP 500),
    ``/missing/…`` (HTTP 404) and ``/slow/…`` (answers after 1,5 s). ``script`` holds answers to
    give first per path prefix (e.g. a 429)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: dict[str, list[tuple[int, dict]]] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                return

            def do_GET(self):
                stub.answer(self, None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                stub.answer(self, json.loads(self.rfile.read(length)))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, method: str, prefix: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(prefix)]

    def answer(self, handler, body) -> None:
        url = urlsplit(handler.path)
        self.requests.append({"method": handler.command, "path": url.path, "query": parse_qs(url.query), "body": body,
                              "agent": handler.headers.get("User-Agent", "")})
        for prefix, queue in self.script.items():
            if url.path.startswith(prefix) and queue:
                status, headers = queue.pop(0)
                return self._send(handler, status, {"title": "För många anrop"}, headers)
        status, doc = self.route(handler.command, url, body)
        self._send(handler, status, doc)

    def route(self, method: str, url, body) -> tuple[int, object]:
        path = url.path
        if path.startswith("/broken/"):
            return 500, {"title": "Internt serverfel"}
        if path.startswith("/missing/"):
            return 404, {"title": "Tabellen finns inte"}
        if path.startswith("/slow/"):
            time.sleep(1.5)
            return 200, {"values": [], "next_url": None}
        if path == "/scb/config":
            return 200, _load("scb_config.json")
        if path == "/scb/tables/TAB6574/metadata":
            return 200, _load("scb_TAB6574_metadata.json")
        if path == "/scb/tables/TAB6574/data" and method == "POST":
            return 200, slice_cube(_load("scb_TAB6574_data.json"), body["selection"])
        if path.startswith("/kolada/v3/data/kpi/"):
            page = _load("kolada_data_page2.json" if "page=2" in url.query else "kolada_data_page1.json")
            if page.get("next_url"):
                page["next_url"] = page["next_url"].replace("{base}", self.base + "/kolada")
            return 200, page
        if path.startswith("/kolada/v3/kpi/"):
            return 200, _load("kolada_kpi.json")
        return 404, {"title": "okänd adress"}

    @staticmethod
    def _send(handler, status: int, doc: object, headers: dict | None = None) -> None:
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)


@pytest.fixture()
def stub():
    server = Stub()
    yield server
    server.close()


@pytest.fixture()
def registry(tmp_path, monkeypatch) -> Path:
    """A data folder for Örebro: riket, län, kommun and two RegSO (2020 division) with their codes."""
    monkeypatch.setenv("LAGESBILD_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "registry"
    folder.mkdir()
    shutil.copy(API / "areas_orebro.csv", folder / "areas.csv")
    shutil.copy(API / "crime_categories_min.csv", folder / "crime_categories.csv")
    return folder


def test_fetch_scb_splits_the_query_waits_out_a_429_and_equals_the_import(stub, registry, tmp_path):
    from lagesbild_lib.importers.fetch import run_fetch

    stub.script["/scb/tables/TAB6574/data"] = [(429, {"Retry-After": "2"})]
    pauses: list[float] = []
    out = tmp_path / "out"
    result = run_fetch("scb-befolkning", out, registry, kommun="Örebro", api=stub.base + "/scb", sleep=pauses.append)
    posts = stub.calls("POST", "/scb/tables/TAB6574/data")
    # 5 regions × 3 years × 16 cells = 240 cells; /config allows 100 per call: 3 calls, plus the refused one
    assert len(posts) == 4 and 2.0 in pauses
    cells = [len(p["body"]["selection"][0]["valueCodes"]) * 3 * 16 for p in posts]
    assert max(cells) <= 100
    assert all(r["agent"].startswith("lagesbild/") for r in stub.requests)
    fetched = pd.read_csv(out / "population.csv")
    assert result.written["population.csv"] == len(fetched)
    # the same file imported by hand gives the same table
    code, _, err = run_cli("import", "scb-befolkning", str(result.source), "--out", str(tmp_path / "hand"), "--data", str(registry))
    assert code == 0, err
    pd.testing.assert_frame_equal(fetched, pd.read_csv(tmp_path / "hand" / "population.csv"))
    # the 2020 RegSO have no 2024 row (SCB says 0 there), and the '..' cell is missing, not 0
    vivalla = fetched[fetched["area_id"] == "vivalla"]
    assert sorted(vivalla["year"].unique()) == [2022, 2023]
    assert fetched[(fetched["area_id"] == "baronbackarna") & (fetched["year"] == 2023) & (fetched["age_group"] == "65+")]["sex"].tolist() == ["man"]
    sources = json.loads((out / "sources.json").read_text(encoding="utf-8"))["population.csv"]
    assert sources["url"] == stub.base + "/scb/tables/TAB6574/data?lang=sv&outputFormat=json-stat2"
    assert sources["table"] == "TAB6574" and sources["updated"] == "2025-02-21T07:00:00Z" and sources["retrieved"].endswith("Z")
    assert "(tabell TAB6574; " in sources["origin"] and "; uppdaterad 21 feb 2025; hämtad " in sources["origin"]  # what Källor quotes
    assert sources["origin"].endswith(" från " + sources["url"])


def test_fetch_scb_asks_for_the_kommungrupp_in_the_registry_and_nothing_else(stub, registry, tmp_path):
    """The other kommuner ``init`` writes into areas.csv (the kommungrupp, directly under riket) get
    their population too: the comparison per 100 000 inv. needs it. A kommun the registry does not
    hold is not asked for."""
    from lagesbild_lib.importers.fetch import run_fetch

    run_fetch("scb-befolkning", tmp_path / "alone", registry, kommun="Örebro", api=stub.base + "/scb", sleep=lambda s: None)
    asked = {c for p in stub.calls("POST", "/scb/tables/TAB6574/data") for c in p["body"]["selection"][0]["valueCodes"]}
    assert asked == {"00", "18", "1880", "1880R001", "1880R002"}
    with (registry / "areas.csv").open("a", encoding="utf-8") as f:
        f.write("vasteras,Västerås,kommun,riket,1980\n")
    stub.requests.clear()
    run_fetch("scb-befolkning", tmp_path / "group", registry, kommun="Örebro", api=stub.base + "/scb", sleep=lambda s: None,
              refresh=True)
    asked = {c for p in stub.calls("POST", "/scb/tables/TAB6574/data") for c in p["body"]["selection"][0]["valueCodes"]}
    assert "1980" in asked
    population = pd.read_csv(tmp_path / "group" / "population.csv")
    vasteras = population[population["area_id"] == "vasteras"]
    assert sorted(vasteras["year"].unique()) == [2022, 2023, 2024] and vasteras["count"].gt(0).all()


def test_a_second_fetch_is_answered_from_the_cache(stub, registry, tmp_path):
    args = ("fetch", "scb-befolkning", "--kommun", "1880", "--out", str(tmp_path / "out"), "--data", str(registry), "--api", stub.base + "/scb")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert "population.csv" in out
    asked = len(stub.requests)
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert len(stub.requests) == asked
    code, _, err = run_cli(*args, "--refresh")
    assert code == 0, err
    assert len(stub.requests) > asked


def test_fetch_kolada_follows_next_url_and_keeps_nulls_missing(stub, registry, tmp_path):
    out = tmp_path / "out"
    code, printed, err = run_cli("fetch", "kolada", "--kommun", "Örebro", "--kpi", "N07403,N00914", "--years", "2022-2023",
                                 "--out", str(out), "--data", str(registry), "--api", stub.base + "/kolada/v3")
    assert code == 0, err
    pages = stub.calls("GET", "/kolada/v3/data/kpi/")
    assert [p["query"].get("page") for p in pages] == [None, ["2"]]
    assert pages[0]["path"] == "/kolada/v3/data/kpi/N07403,N00914/municipality/0000,0018,1880/year/2022,2023"
    table = pd.read_csv(out / "indicators.csv")
    got = {(r.year, r.area_id, r.indicator): r.value for r in table.itertuples()}
    assert got[(2023, "orebro-lan", "N07403")] == 1302.8 and got[(2022, "orebro", "N00914")] == 75.9
    assert (2023, "orebro-lan", "N00914") not in got  # null in Kolada: missing, not 0
    assert set(table["unit"]) == {"procent", "per 100 000 inv"} and set(table["sex"]) == {"alla"}
    assert "saknades i Kolada" in printed
    saved = json.loads(next((out / "nedladdat").glob("kolada-1880.json")).read_text(encoding="utf-8"))
    assert len(saved["values"]) == 8 and saved["kpi_metadata"][0]["id"] == "N07403"
    assert "vasteras" not in set(table["area_id"])  # a kommun the registry does not hold is not asked for, nor kept


def test_fetch_kolada_asks_for_the_kommungrupp_in_the_registry(stub, registry, tmp_path):
    with (registry / "areas.csv").open("a", encoding="utf-8") as f:
        f.write("vasteras,Västerås,kommun,riket,1980\n")
    code, _, err = run_cli("fetch", "kolada", "--kommun", "Örebro", "--kpi", "N07403,N00914", "--years", "2022-2023",
                           "--out", str(tmp_path / "out"), "--data", str(registry), "--api", stub.base + "/kolada/v3")
    assert code == 0, err
    assert stub.calls("GET", "/kolada/v3/data/kpi/")[0]["path"].endswith("/municipality/0000,0018,1880,1980/year/2022,2023")
    table = pd.read_csv(tmp_path / "out" / "indicators.csv")
    assert table.loc[table["area_id"] == "vasteras", ["year", "indicator", "value"]].values.tolist() == [[2023, "N07403", 1490.2]]


def test_an_http_error_is_one_swedish_sentence_with_the_url_and_the_way_by_hand(stub, registry, tmp_path):
    code, out, err = run_cli("fetch", "kolada", "--kommun", "1880", "--out", str(tmp_path / "out"), "--data", str(registry),
                             "--api", stub.base + "/missing/v3")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{stub.base}/missing/v3/data/kpi/" in err and "HTTP 404" in err and "lagesbild import kolada FIL" in err
    assert not (tmp_path / "out" / "indicators.csv").exists()


def test_server_errors_are_retried_with_backoff_then_refused(stub, registry, tmp_path):
    from lagesbild_lib.errors import DataError
    from lagesbild_lib.importers.fetch import run_fetch

    pauses: list[float] = []
    with pytest.raises(DataError) as caught:
        run_fetch("scb-befolkning", tmp_path / "out", registry, kommun="1880", api=stub.base + "/broken", sleep=pauses.append)
    assert pauses == [1.0, 2.0, 4.0]
    assert len(stub.calls("GET", "/broken/config")) == 4
    assert "HTTP 500 (Internt serverfel) (efter 4 försök)" in str(caught.value) and "lagesbild import scb-befolkning" in str(caught.value)


def test_a_timeout_and_no_server_are_refused_the_same_way(stub, registry, tmp_path):
    from lagesbild_lib.errors import DataError
    from lagesbild_lib.importers.fetch import run_fetch

    with pytest.raises(DataError, match="servern svarade inte i tid"):
        run_fetch("kolada", tmp_path / "out", registry, kommun="1880", api=stub.base + "/slow", timeout=0.3, sleep=lambda s: None)
    closed = Stub()
    address = closed.base
    closed.close()
    with pytest.raises(DataError, match="ingen förbindelse med servern") as caught:
        run_fetch("kolada", tmp_path / "out", registry, kommun="1880", api=address, sleep=lambda s: None)
    assert str(caught.value).startswith(address + "/data/kpi/")


def test_the_call_budget_waits_instead_of_being_refused():
    import httpx

    from lagesbild_lib.importers.http import Client

    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    with Client("kolada", "för hand", use_cache=False, max_calls=2, window=10.0, transport=transport, sleep=sleep, clock=lambda: now[0]) as client:
        for n in range(3):
            client.get(f"http://api.test/{n}")
            now[0] += 1.0
    assert pauses == [8.0]  # the third call waits until the first is 10 s old


def test_the_api_s_own_call_budget_is_kept(stub, registry, tmp_path):
    from lagesbild_lib.importers.fetch import run_fetch

    config = _load("scb_config.json")
    assert config["maxCallsPerTimeWindow"] == 30 and config["timeWindow"] == 10
    pauses: list[float] = []
    run_fetch("scb-befolkning", tmp_path / "out", registry, kommun="1880", years=[2023], api=stub.base + "/scb", sleep=pauses.append)
    posts = stub.calls("POST", "/scb/tables/TAB6574/data")
    assert all(p["body"]["selection"][-1]["valueCodes"] == ["2023"] for p in posts)
    assert len(posts) == 1 and pauses == []  # 5 regions × 1 year × 16 cells fit in one call
