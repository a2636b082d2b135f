"""A small asyncio HTTP/1.1 load generator doing the voter's real flows against loopback.

Each voter is a browser without JavaScript: it keeps its cookies, and sends back the forms of
the pages it is given (their hidden fields as they are, one choice per radio group), so the
harness follows whatever the pages carry instead of knowing their fields in advance.
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import statistics
import time
import urllib.parse
from dataclasses import dataclass, field

FORM = re.compile(rb"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
INPUT = re.compile(rb"<input\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(rb'([a-zA-Z_:][-\w:.]*)\s*=\s*"([^"]*)"')
CHOICE = "medium"  # the value chosen in each radio group, when the group has it


@dataclass
class Target:
    """Where requests go: host and port, and the local address they come from ("" any)."""

    host: str
    port: int
    source: str = ""


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # of the cast (submit) request, s
    votes: list[float] = field(default_factory=list)  # of a voter's whole flow, s
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0

    def error(self, kind: str, status: int = 0) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.server_errors += status >= 500

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if values is None else values)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Form:
    action: str
    hidden: list[tuple[str, str]]
    radios: dict[str, list[str]]

    def filled(self) -> list[tuple[str, str]]:
        """The hidden fields, and one value per radio group (CHOICE if it is offered)."""
        chosen = [
            (name, CHOICE if CHOICE in values else values[0])
            for name, values in self.radios.items()
        ]
        return self.hidden + chosen


def forms(page: bytes) -> list[Form]:
    found = []
    for attributes, inner in FORM.findall(page):
        action = dict(ATTRIBUTE.findall(attributes)).get(b"action", b"").decode()
        hidden: list[tuple[str, str]] = []
        radios: dict[str, list[str]] = {}
        for tag in INPUT.findall(inner):
            attrs = {
                k.decode().lower(): html.unescape(v.decode()) for k, v in ATTRIBUTE.findall(tag)
            }
            kind, name = attrs.get("type", "text").lower(), attrs.get("name", "")
            if kind == "hidden" and name:
                hidden.append((name, attrs.get("value", "")))
            elif kind == "radio" and name:
                radios.setdefault(name, []).append(attrs.get("value", "on"))
        found.append(Form(html.unescape(action), hidden, radios))
    return found


def form_to(page: bytes, path: str) -> Form | None:
    """The page's form that posts to `path`."""
    return next((f for f in forms(page) if urllib.parse.urlsplit(f.action).path == path), None)


class Browser:
    """One voter's connection state: its cookies (each request on a new connection)."""

    def __init__(self, target: Target, timeout: float = 30) -> None:
        self.target, self.timeout = target, timeout
        self.cookies: dict[str, str] = {}

    async def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> Response:
        target = self.target
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {target.host}:{target.port}"]
        lines.append("Connection: close")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        extra = {"local_addr": (target.source, 0)} if target.source else {}
        connect = asyncio.open_connection(target.host, target.port, **extra)
        reader, writer = await asyncio.wait_for(connect, self.timeout)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), self.timeout)
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        if not head:
            raise ConnectionResetError("no response")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, list[str]] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        for cookie in headers.get("set-cookie", []):
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return Response(int(status_line.split()[1]), headers, payload)


class Refused(Exception):
    """A step of the flow did not answer as a browser expects."""

    def __init__(self, step: str, status: int = 0) -> None:
        super().__init__(f"{step} {status}" if status else step)
        self.step, self.status = step, status


async def ballot_page(browser: Browser, code: str) -> Form:
    """GET /b/, then POST /b/ with the code: the ballot page's form, to be filled."""
    start = await browser.request("GET", "/b/")
    entry = form_to(start.body, "/b/") or Form("/b/", [], {})
    if start.status != 200:
        raise Refused("start page", start.status)
    page = await browser.request("POST", "/b/", [*entry.hidden, ("code", code)])
    if page.status != 200:
        raise Refused("code page", page.status)
    ballot = form_to(page.body, "/b/review/")
    if ballot is None or not ballot.radios:
        raise Refused("ballot page without its form")
    return ballot


async def vote(browser: Browser, code: str, steps: int, stats: Stats) -> None:
    """One voter's whole flow: 3 requests (start, code, cast) or 5 (… review, cast, done)."""
    started = time.perf_counter()
    try:
        ballot = await ballot_page(browser, code)
        cast = Form("/b/cast/", ballot.filled(), {})
        if steps == 5:
            review = await browser.request("POST", ballot.action, ballot.filled())
            if review.status != 200:
                raise Refused("review", review.status)
            cast = form_to(review.body, "/b/cast/")
            if cast is None:
                raise Refused("review page without the cast form")
        submitted = time.perf_counter()
        done = await browser.request("POST", "/b/cast/", cast.hidden)
        stats.latencies.append(time.perf_counter() - submitted)
        if done.status != 302:
            raise Refused("cast", done.status)
        stats.ok += 1
        if steps == 5:
            location = urllib.parse.urlsplit(done.headers["location"][0]).path
            thanks = await browser.request("GET", location)
            if thanks.status != 200:
                raise Refused("done page", thanks.status)
        stats.votes.append(time.perf_counter() - started)
    except Refused as refused:
        stats.error(str(refused), refused.status)
    except (TimeoutError, OSError) as exc:
        stats.error(type(exc).__name__)


async def cast_run(
    targets: list[Target], codes: list[str], concurrency: int, steps: int = 3
) -> tuple[Stats, float]:
    """`concurrency` voters at a time, each doing the whole flow, until every code voted."""
    stats = Stats()
    queue = list(codes)

    async def voter(n: int) -> None:
        while queue:
            await vote(Browser(targets[n % len(targets)]), queue.pop(), steps, stats)

    started = time.perf_counter()
    await asyncio.gather(*(voter(n) for n in range(concurrency)))
    return stats, time.perf_counter() - started


async def burst_run(targets: list[Target], codes: list[str]) -> tuple[Stats, float]:
    """Every voter first on the ballot page, then all submit at the same moment."""
    stats = Stats()
    semaphore = asyncio.Semaphore(64)

    async def staged(n: int, code: str) -> tuple[Browser, Form | None]:
        browser = Browser(targets[n % len(targets)])
        async with semaphore:
            try:
                return browser, await ballot_page(browser, code)
            except Refused as refused:
                stats.error(str(refused), refused.status)
            except (TimeoutError, OSError) as exc:
                stats.error(type(exc).__name__)
            return browser, None

    async def submit(browser: Browser, ballot: Form) -> None:
        submitted = time.perf_counter()
        try:
            done = await browser.request("POST", "/b/cast/", ballot.filled())
        except (TimeoutError, OSError) as exc:
            stats.error(type(exc).__name__)
            return
        stats.latencies.append(time.perf_counter() - submitted)
        if done.status == 302:
            stats.ok += 1
        else:
            stats.error(f"cast {done.status}", done.status)

    ready = await asyncio.gather(*(staged(n, code) for n, code in enumerate(codes)))
    started = time.perf_counter()
    await asyncio.gather(*(submit(b, ballot) for b, ballot in ready if ballot is not None))
    return stats, time.perf_counter() - started


async def ceiling(target: Target, seconds: float, concurrency: int) -> float:
    """Requests per second of GET /healthz: what the framework and server manage at all."""
    done = 0
    end = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        browser = Browser(target)
        while time.perf_counter() < end:
            response = await browser.request("GET", "/healthz")
            done += response.status == 200  # after the await: `done` may have moved meanwhile

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)


async def first_requests(target: Target, codes: list[str], following: int = 20) -> dict:
    """The first GET /b/ of a server just listening, and its first ballot page, against the
    median of the `following` next ones (each ballot page with a code of its own)."""

    async def timed(call) -> float:
        started = time.perf_counter()
        await call
        return time.perf_counter() - started

    browser = Browser(target, timeout=120)
    starts = [await timed(browser.request("GET", "/b/")) for _ in range(following + 1)]
    pages = [await timed(ballot_page(Browser(target), code)) for code in codes[: following + 1]]
    return {
        "start_page_first_ms": starts[0] * 1000,
        "start_page_median_ms": statistics.median(starts[1:]) * 1000,
        "ballot_page_first_ms": pages[0] * 1000,
        "ballot_page_median_ms": statistics.median(pages[1:]) * 1000,
    }


def wrong_code(rng: random.Random) -> str:
    """A well-formed code that no slip carries (75 random bits)."""
    return "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(15))


async def wrong_codes(target: Target, count: int) -> list[tuple[int, str]]:
    """`count` wrong codes one after the other, each from a new device (its device cookie
    forgotten): the status of each, and the app server that answered (nginx's X-Upstream, bench
    only). One `GET /b/` first, so that behind nginx's round robin the codes alternate servers."""
    rng = random.Random()
    browser = Browser(target)
    start = await browser.request("GET", "/b/")
    entry = form_to(start.body, "/b/") or Form("/b/", [], {})
    answers = []
    for _ in range(count):
        browser.cookies.pop("device", None)
        page = await browser.request("POST", "/b/", [*entry.hidden, ("code", wrong_code(rng))])
        answers.append((page.status, page.headers.get("x-upstream", ["?"])[0]))
    return answers
