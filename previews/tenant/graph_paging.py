"""The bounds of one discovery against Microsoft Graph, so that a hostile or broken server (or a
proxy in front of it) ends the run with one line instead of running, waiting or reading forever:

- a deadline for the whole discovery, checked before every request, while a body is read and
  before every wait;
- one budget of waiting (the sum of every Retry-After and back-off sleep of the run);
- a cap on the bytes of one answer and of all answers together;
- per listing: a cap on pages, a `@odata.nextLink` that was already followed, a page that is
  gone (404) or has no `value` list, an item that is not an object.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx

from previews.tenant.graph_errors import GraphError, quoted
from previews.tenant.graph_settings import (
    DEFAULT_DEADLINE_S,
    DEFAULT_MAX_MIB,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_WAIT_S,
    MIB,
)

MAX_RESPONSE_BYTES = 64 << 20  # a page of a listing is a few MB at most
# Parsed, a JSON answer takes up to about 30 times its bytes in memory (tiny objects): one answer
# may be at most this share of the memory bound, so that parsing it never passes the bound.
ANSWER_SHARE = 40


def _page_size() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # not a Unix
        return 4096


_PAGE_SIZE = _page_size()


def resident_bytes() -> int:
    """The process's resident memory (Linux /proc/self/statm); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * _PAGE_SIZE


def answer_cap(max_bytes: int) -> int:
    """The largest one answer may be under a memory bound of `max_bytes`."""
    return max(min(MAX_RESPONSE_BYTES, max_bytes // ANSWER_SHARE), 1 << 20)


@dataclass
class Reading:
    """What the client is reading now (for the deadline's message)."""

    what: str
    pages: int = 0
    items: int = 0

    def progress(self) -> str:
        if self.pages == 0:
            return "nothing of it read yet"
        plural = "s" if self.items != 1 else ""
        return f"{self.items} item{plural} of it in {self.pages} page(s) so far"


@dataclass
class Budget:
    """Time, waiting and bytes for a whole discovery (one client). `clock` is injectable so
    tests do not wait."""

    deadline_s: float = DEFAULT_DEADLINE_S
    max_wait_s: float = DEFAULT_MAX_WAIT_S
    max_bytes: int = DEFAULT_MAX_MIB * MIB
    max_response_bytes: int = MAX_RESPONSE_BYTES
    clock: Callable[[], float] = time.monotonic
    # The process's memory now (None: not watched); its growth since start() must stay within
    # max_bytes (discover: what it reads and what it keeps of it).
    memory: Callable[[], int] | None = None
    started: float = 0.0
    baseline: int = 0
    waited_s: float = 0.0
    read_bytes: int = 0
    requests: int = 0
    reading: Reading = field(default_factory=lambda: Reading("Graph"))

    def start(self) -> None:
        self.started = self.clock()
        self.baseline = self.memory() if self.memory is not None else 0

    def elapsed_s(self) -> float:
        return self.clock() - self.started

    def remaining_s(self) -> float:
        return self.deadline_s - self.elapsed_s()

    def _read_so_far(self) -> str:
        return (
            f"{self.reading.progress()}; {self.requests} request(s), "
            f"{self.read_bytes / MIB:.1f} MiB read in all"
        )

    def check_time(self, shown: str) -> None:
        """Before a request, and between the chunks of a body."""
        if self.remaining_s() <= 0:
            raise GraphError(
                f"graph: GET {shown}: discovery passed its --deadline of {self.deadline_s:g} s "
                f"while reading {self.reading.what} ({self._read_so_far()}); raise --deadline "
                "for a tenant this large or a Graph this slow, and run again"
            )

    def check_wait(self, wait: float, shown: str, reason: str) -> None:
        """Before a sleep: within the run's waiting budget and before the deadline."""
        left = max(self.max_wait_s - self.waited_s, 0.0)
        if wait > left:
            raise GraphError(
                f"graph: GET {shown}: {reason}; the next retry would wait {wait:g} s, more than "
                f"the {left:g} s left of the --max-wait budget of {self.max_wait_s:g} s for the "
                "whole run (run again later, or raise --max-wait)"
            )
        if wait > self.remaining_s():
            raise GraphError(
                f"graph: GET {shown}: {reason}; waiting {wait:g} s would pass the --deadline of "
                f"{self.deadline_s:g} s while reading {self.reading.what} "
                f"({self._read_so_far()}); run again later, or raise --deadline"
            )

    def read_body(self, response: httpx.Response, shown: str) -> bytes:
        """The body of a streamed answer, read in chunks within the byte caps and the deadline
        (a server sending an endless or trickling body is cut off)."""
        self.check_declared(response, shown)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            self.count_bytes(len(chunk), size, shown)
            self.check_time(shown)
            chunks.append(chunk)
        return b"".join(chunks)

    def check_declared(self, response: httpx.Response, shown: str) -> None:
        """A Content-Length beyond the limits fails before its body is read."""
        try:
            declared = int(response.headers.get("Content-Length", ""))
        except ValueError:
            return
        self.count_bytes(declared, declared, shown, count=False)

    def count_bytes(self, chunk: int, response_total: int, shown: str, count: bool = True) -> None:
        if response_total > self.max_response_bytes:
            raise GraphError(
                f"graph: GET {shown}: the answer is larger than "
                f"{self.max_response_bytes / MIB:g} MiB (no Graph page is that large: check "
                "--graph-url and any proxy in between)"
            )
        if self.read_bytes + chunk > self.max_bytes:
            raise GraphError(
                f"graph: GET {shown}: more than --max-mib {self.max_bytes / MIB:g} MiB of "
                f"answers in all, while reading {self.reading.what} (raise --max-mib for a "
                "tenant this large)"
            )
        if count:
            self.read_bytes += chunk
            self.check_memory(shown)

    def check_memory(self, shown: str) -> None:
        if self.memory is None:
            return
        grown = self.memory() - self.baseline
        if grown > self.max_bytes:
            raise GraphError(
                f"graph: GET {shown}: more than --max-mib {self.max_bytes / MIB:g} MiB of memory "
                f"in use ({grown / MIB:.0f} MiB) while reading {self.reading.what} (raise "
                "--max-mib for a tenant this large)"
            )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def url_key(url: str, params: Mapping[str, str] | None = None) -> str:
    """A request's URL as one comparable string: the same page however its link is spelt
    (percent-encoding, order of the query's parameters)."""
    parsed = httpx.URL(url)
    query = sorted([*parsed.params.multi_items(), *(params or {}).items()])
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}{parsed.path}?{urlencode(query)}"


@dataclass
class Listing:
    """One collection being paged through by `@odata.nextLink`."""

    reading: Reading
    shown: str  # the collection's path, for messages
    max_pages: int = DEFAULT_MAX_PAGES
    visited: set[str] = field(default_factory=set)

    def where(self) -> str:
        return f"graph: GET {self.shown}: page {self.reading.pages + 1} of {self.reading.what}"

    def follow(self, key: str) -> None:
        """Before asking for the next page at `key` (see `url_key`)."""
        if key in self.visited:
            raise GraphError(
                f"{self.where()} links back to a page already read (Graph's paging loops; "
                f"the listing is incomplete after {self.reading.items} item(s)); run discover "
                "again later"
            )
        if self.reading.pages >= self.max_pages:
            raise GraphError(
                f"graph: GET {self.shown}: {self.reading.what} has more than --max-pages "
                f"{self.max_pages} pages (raise --max-pages for a tenant this large)"
            )
        self.visited.add(key)

    def gone(self) -> GraphError:
        return GraphError(
            f"{self.where()} is gone (404) after {self.reading.items} item(s) in "
            f"{self.reading.pages} page(s): the listing is incomplete; run discover again"
        )

    def items(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The page's `value`, every item an object; then the page counts as read."""
        if "value" not in body:
            raise GraphError(
                f"{self.where()} has no 'value' (not a page of a collection: check --graph-url)"
            )
        values = body["value"]
        if not isinstance(values, list):
            raise GraphError(f"{self.where()}: 'value' is not a list")
        for index, item in enumerate(values, self.reading.items + 1):
            if not isinstance(item, dict):
                raise GraphError(
                    f"{self.where()}: record {index} is {quoted(item)}, not an object "
                    "(the listing cannot be trusted; run discover again)"
                )
        self.reading.pages += 1
        self.reading.items += len(values)
        return values

    def next_link(self, body: dict[str, Any]) -> str | None:
        link = body.get("@odata.nextLink")
        if link is None:
            return None
        if not isinstance(link, str) or not link:
            raise GraphError(
                f"graph: GET {self.shown}: page {self.reading.pages} of {self.reading.what}: "
                "'@odata.nextLink' is not a link"
            )
        return link
