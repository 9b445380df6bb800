"""HTTP for ``lagesbild fetch``: one small client over ``httpx`` for the public APIs (SCB, Kolada).

What it does for every call:

- an identifying user-agent (:data:`USER_AGENT`) and a timeout;
- an on-disk cache keyed by method, URL and body (``<cache>/http/``, see
  :func:`lagesbild_lib.paths.cache_dir`), so a second fetch of the same query asks nobody;
  ``refresh=True`` asks again and replaces the entry;
- a call budget (``max_calls`` per ``window`` seconds, e.g. SCB's 30 per 10 s): the client waits
  rather than being refused;
- retries with exponential backoff on a timeout, a lost connection and 5xx answers, and on
  429 after the ``Retry-After`` the server gives;
- anything it cannot recover from is one Swedish :class:`FetchError` sentence (exit code 2) that
  names the URL and tells how to download the file by hand and read it with ``lagesbild import``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from lagesbild_lib import __version__, paths
from lagesbild_lib.errors import DataError

USER_AGENT = f"lagesbild/{__version__} (lokal lagesbild; python-httpx)"  # ASCII: HTTP headers are
#: Longest pause the client accepts from a ``Retry-After`` header before it gives up (seconds).
MAX_RETRY_AFTER = 120.0


class FetchError(DataError):
    """An API could not be read (offline, timeout, an HTTP error, not JSON): exit code 2."""


@dataclass(frozen=True)
class Answer:
    """A JSON answer and where it came from."""

    url: str
    data: object
    retrieved: str  # ISO time (UTC) the server answered, also for an answer from the cache
    from_cache: bool


def _hand_hint(kind: str, hint: str) -> str:
    return f"hämta filen för hand ({hint}) och läs in den med 'lagesbild import {kind} FIL --out MAPP'"


class Client:
    """A JSON client with cache, call budget and retries.

    Parameters
    ----------
    kind
        The import kind that reads the same data from a file (named in the error sentences).
    hand_hint
        How to download the file by hand (Swedish, e.g. "statistikdatabasen.scb.se, Spara som JSON-stat2").
    cache_dir
        Where answers are kept (default ``<cache>/http``); None with ``use_cache=False`` keeps nothing.
    timeout
        Seconds per call (connect and read).
    retries
        How many times a failed call is tried again.
    backoff
        Seconds before the first retry; doubled for each further one.
    max_calls, window
        At most ``max_calls`` calls per ``window`` seconds (None: no budget).
    transport, sleep, clock
        For tests: an ``httpx`` transport, the sleep function and the clock.
    """

    def __init__(self, kind: str, hand_hint: str, *, cache_dir: Path | None = None, use_cache: bool = True,
                 refresh: bool = False, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
                 max_calls: int | None = None, window: float = 10.0, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.kind = kind
        self.hand_hint = hand_hint
        self.cache_dir = Path(cache_dir) if cache_dir is not None else paths.cache_dir() / "http"
        self.use_cache = use_cache
        self.refresh = refresh
        self.retries = retries
        self.backoff = backoff
        self.max_calls = max_calls
        self.window = window
        self.sleep = sleep
        self.clock = clock
        self.calls: deque[float] = deque()
        self.network_calls = 0
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            transport=transport, follow_redirects=True,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ public
    def get(self, url: str, params: dict | None = None) -> Answer:
        """GET ``url`` (with query ``params``) and return its JSON."""
        full = str(httpx.URL(url, params=params)) if params else url
        return self._call("GET", full, None)

    def post(self, url: str, body: object) -> Answer:
        """POST the JSON ``body`` to ``url`` and return the JSON answer."""
        return self._call("POST", url, body)

    # ------------------------------------------------------------------ cache
    def _key(self, method: str, url: str, body: object) -> Path:
        text = json.dumps([method, url, body], sort_keys=True, ensure_ascii=False)
        return self.cache_dir / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.json"

    def _cached(self, path: Path) -> Answer | None:
        if not self.use_cache or self.refresh or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return Answer(entry["url"], entry["data"], entry["retrieved"], True)
        except (OSError, ValueError, KeyError):
            return None  # a damaged entry is asked for again and rewritten

    def _store(self, path: Path, answer: Answer) -> None:
        if not self.use_cache:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"url": answer.url, "retrieved": answer.retrieved, "data": answer.data}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            return  # the cache is an optimisation: an unwritable cache folder only costs a new call next time

    # ------------------------------------------------------------------ calls
    def _wait_for_budget(self) -> None:
        if not self.max_calls:
            return
        now = self.clock()
        while self.calls and now - self.calls[0] >= self.window:
            self.calls.popleft()
        if len(self.calls) >= self.max_calls:
            self.sleep(self.window - (now - self.calls[0]))
            self.calls.popleft()
        self.calls.append(self.clock())

    def _fail(self, url: str, reason: str) -> FetchError:
        return FetchError(f"{url}: {reason}; {_hand_hint(self.kind, self.hand_hint)}")

    def _call(self, method: str, url: str, body: object) -> Answer:
        key = self._key(method, url, body)
        cached = self._cached(key)
        if cached is not None:
            return cached
        attempt = 0
        while True:
            self._wait_for_budget()
            self.network_calls += 1
            try:
                response = self._http.request(method, url, json=body) if body is not None else self._http.request(method, url)
            except httpx.TimeoutException:
                reason = "servern svarade inte i tid"
                response = None
            except httpx.TransportError:
                reason = "ingen förbindelse med servern (inget nät, eller fel adress)"
                response = None
            if response is not None:
                if response.status_code == 200:
                    try:
                        data = response.json()
                    except ValueError:
                        raise self._fail(url, "svaret var inte JSON") from None
                    answer = Answer(url, data, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), False)
                    self._store(key, answer)
                    return answer
                reason = f"servern svarade med HTTP {response.status_code}{_detail(response)}"
                retryable = response.status_code == 429 or response.status_code >= 500
                if not retryable:
                    raise self._fail(url, reason)
            if attempt >= self.retries:
                raise self._fail(url, f"{reason} (efter {attempt + 1} försök)")
            self.sleep(self._pause(response, attempt))
            attempt += 1

    def _pause(self, response: httpx.Response | None, attempt: int) -> float:
        """Seconds before the next try: the server's ``Retry-After`` on 429, else exponential backoff."""
        if response is not None and response.status_code == 429:
            value = response.headers.get("Retry-After", "")
            try:
                return min(max(float(value), 0.0), MAX_RETRY_AFTER)
            except ValueError:
                return self.window if self.max_calls else self.backoff * 2 ** attempt
        return self.backoff * 2 ** attempt


def _detail(response: httpx.Response) -> str:
    """A short reason from an error body (PxWebApi and Kolada give one), quoted; "" when none."""
    text = response.text.strip()
    try:
        doc = response.json()
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        text = str(doc.get("title") or doc.get("detail") or doc.get("message") or doc.get("error") or "").strip()
    text = " ".join(text.split())
    return f" ({text[:120]})" if text and len(text) <= 300 else ""


__all__ = ["Answer", "Client", "FetchError", "USER_AGENT"]
