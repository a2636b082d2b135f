"""A small asyncio HTTP/1.1 load generator doing the voter's real flow against loopback."""

from __future__ import annotations

import asyncio
import re
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # of the cast (submit) request, s
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def http(
    host: str,
    port: int,
    method: str,
    path: str,
    *,
    cookie: str = "",
    form: dict | None = None,
    timeout: float = 30,
) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode(form or {}, doseq=True).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if form is not None:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), headers, payload


def _csrf(headers: dict) -> str:
    for cookie in headers.get("set-cookie", []):
        if cookie.startswith("csrftoken="):
            return cookie.split(";", 1)[0].split("=", 1)[1]
    return ""


async def stage(host: str, port: int, code: str, stats: Stats) -> dict[str, str] | None:
    """GET /b/ and enter the code: the voter now looks at the ballot.

    Returns what the ballot page's form sends back besides the choices: the CSRF token and the
    code's voucher (ballots/throttle.py), as a browser would.
    """
    try:
        _status, headers, _ = await http(host, port, "GET", "/b/")
        token = _csrf(headers)
        status, _, page = await http(
            host,
            port,
            "POST",
            "/b/",
            cookie=f"csrftoken={token}",
            form={"code": code, "csrfmiddlewaretoken": token},
        )
    except (TimeoutError, OSError) as exc:
        stats.error(type(exc).__name__)
        return None
    if status != 200:
        stats.error(f"code page {status}")
        stats.server_errors += status >= 500
        return None
    voucher = re.search(rb'name="voucher" value="([0-9a-f]*)"', page)
    return {"csrfmiddlewaretoken": token, "voucher": voucher.group(1).decode() if voucher else ""}


async def submit(
    host: str, port: int, code: str, hidden: dict[str, str], candidates: list[int], stats: Stats
) -> None:
    """Cast a full ballot; time it."""
    form = {"code": code, **hidden, **{f"c{pk}": "medium" for pk in candidates}}
    cookie = f"csrftoken={hidden['csrfmiddlewaretoken']}"
    started = time.perf_counter()
    try:
        status, _, _ = await http(host, port, "POST", "/b/cast/", cookie=cookie, form=form)
    except (TimeoutError, OSError) as exc:
        stats.error(type(exc).__name__)
        return
    stats.latencies.append(time.perf_counter() - started)
    if status == 302:
        stats.ok += 1
    else:
        stats.error(f"cast {status}")
        stats.server_errors += status >= 500


async def cast_run(
    host: str, port: int, codes: list[str], candidates: list[int], concurrency: int
) -> tuple[Stats, float]:
    """`concurrency` voters at a time, each doing the whole flow, until every code voted."""
    stats = Stats()
    queue = list(codes)

    async def worker() -> None:
        while queue:
            code = queue.pop()
            hidden = await stage(host, port, code, stats)
            if hidden is not None:
                await submit(host, port, code, hidden, candidates, stats)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return stats, time.perf_counter() - started


async def burst_run(
    host: str,
    port: int,
    codes: list[str],
    candidates: list[int],
) -> tuple[Stats, float]:
    """Every voter first on the ballot page, then all submit at the same moment."""
    stats = Stats()
    semaphore = asyncio.Semaphore(64)

    async def staged(code: str) -> tuple[str, dict[str, str] | None]:
        async with semaphore:
            return code, await stage(host, port, code, stats)

    ready = await asyncio.gather(*(staged(code) for code in codes))
    started = time.perf_counter()
    await asyncio.gather(
        *(submit(host, port, code, hidden, candidates, stats) for code, hidden in ready if hidden)
    )
    return stats, time.perf_counter() - started


async def ceiling(host: str, port: int, seconds: float, concurrency: int) -> float:
    """Requests per second of GET /healthz: what the framework and server manage at all."""
    done = 0
    end = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < end:
            status, _, _ = await http(host, port, "GET", "/healthz")
            done += status == 200

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)
