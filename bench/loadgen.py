"""A small closed-loop HTTP/1.1 load generator (asyncio, keep-alive connections).

Each of ``connections`` clients sends one request, waits for the whole answer, and sends the
next, for ``seconds``: the server's throughput and latency at that concurrency. One process,
no dependency: lighter than locust on a 2-core machine shared with the server.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies_ms) / self.elapsed if self.elapsed else 0.0

    def merge(self, other: Result) -> None:
        self.latencies_ms += other.latencies_ms
        self.errors += other.errors
        self.elapsed += other.elapsed
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


class BadAnswer(Exception):
    pass


async def _read_answer(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    if headers.get("connection", "").lower() == "close":
        raise BadAnswer("connection closed by the server")
    return status


async def _client(url: str, cookie: str, deadline: float, result: Result) -> None:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
        f"Accept: text/html\r\n{f'Cookie: {cookie}' + chr(13) + chr(10) if cookie else ''}\r\n"
    ).encode()
    reader = writer = None
    while time.perf_counter() < deadline:
        if writer is None:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        started = time.perf_counter()
        try:
            writer.write(request)
            status = await _read_answer(reader)
        except (OSError, asyncio.IncompleteReadError, BadAnswer, ValueError):
            result.errors += 1
            writer.close()
            reader = writer = None
            continue
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status != 200:
            result.errors += 1
    if writer is not None:
        writer.close()


async def _load(url: str, connections: int, seconds: float, cookie: str) -> Result:
    result = Result()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(url, cookie, deadline, result) for _ in range(connections)))
    result.elapsed = time.perf_counter() - started
    return result


def load(url: str, connections: int = 16, seconds: float = 5, cookie: str = "") -> Result:
    """Hit ``url`` with ``connections`` keep-alive clients for ``seconds``."""
    return asyncio.run(_load(url, connections, seconds, cookie))
