"""--max-mib bounds discover's memory, not only the bytes of its answers: the process's growth is
watched while answers are read, and one answer may be at most a fortieth of the bound (parsed
JSON takes up to about 30 times its bytes). `benchmarks.discover_memory` measures the process."""

from __future__ import annotations

import httpx
import pytest

from previews.tenant.graph_client import GraphError
from previews.tenant.graph_paging import (
    ANSWER_SHARE,
    MAX_RESPONSE_BYTES,
    answer_cap,
    resident_bytes,
)
from previews.tenant.graph_settings import MIB
from tests.previews.tenant.test_discover_bounds import mock_client


def test_growth_past_the_bound_stops_the_read_with_one_line() -> None:
    used = [100 * MIB]  # the probe: 100 MiB at start, then 1 MiB more per answer

    def memory() -> int:
        used[0] += MIB
        return used[0]

    def handler(request: httpx.Request) -> httpx.Response:
        link = f"{request.url}&x=1" if "?" in str(request.url) else f"{request.url}?x=1"
        return httpx.Response(200, json={"value": [{"id": "a"}], "@odata.nextLink": link})

    client = mock_client(handler, memory=memory, max_bytes=5 * MIB)
    with pytest.raises(GraphError) as caught:
        list(client.get_all("users", what="users"))
    message = str(caught.value)
    assert "more than --max-mib 5 MiB of memory in use" in message
    assert "\n" not in message and "while reading users" in message


def test_one_answer_is_at_most_a_fortieth_of_the_bound() -> None:
    assert ANSWER_SHARE == 40
    assert answer_cap(200 * MIB) == 5 * MIB
    assert answer_cap(1024 * MIB) == int(25.6 * MIB)
    assert answer_cap(10**6 * MIB) == MAX_RESPONSE_BYTES
    assert answer_cap(1) == MIB  # never below one MiB: a Graph page is smaller


def test_the_probe_reads_this_process() -> None:
    assert resident_bytes() > 10 * MIB
