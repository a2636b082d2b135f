"""One measured run of `make bench`, on one topology: the load, its CPU time, its SQL checks.

A topology is one app server, or two behind nginx; either way the load goes to one address
(`front`), and the CPU time of every process serving it is read before and after each run, with
the load generator's own (this process) and the machine's. See bench/server.py.
"""

from __future__ import annotations

import asyncio
import io
import time

import load
from server import Gunicorn, Nginx, machine_cpu, postgres_backends, rss_peak_mb


class Topology:
    """`instances` gunicorns with `workers` each; nginx in front when there are several."""

    def __init__(self, env: dict, instances: int, workers: int, cpus, postgres=None) -> None:
        self.servers = [Gunicorn(env, workers, cpus) for _ in range(instances)]
        self.nginx = Nginx([s.port for s in self.servers], cpus) if instances > 1 else None
        self.postgres = postgres  # (admin connection, database name), for its backends' CPU
        self.cpus = cpus
        self.workers = workers

    def start(self) -> None:
        for server in self.servers:
            server.start()
        if self.nginx is not None:
            self.nginx.start()

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for server in self.servers:
            server.stop()

    def __enter__(self) -> Topology:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def front(self) -> load.Target:
        port = self.nginx.port if self.nginx is not None else self.servers[0].port
        return load.Target("127.0.0.1", port)

    def rss_peak_mb(self) -> float:
        return max(rss_peak_mb(s.proc.pid) for s in self.servers)

    def sample(self) -> dict:
        busy, total = machine_cpu()
        server_busy, server_total = machine_cpu(self.cpus) if self.cpus else (0.0, 0.0)
        return {
            "wall": time.perf_counter(),
            "generator": time.process_time(),
            "app": sum(s.cpu() for s in self.servers),
            "nginx": self.nginx.cpu() if self.nginx is not None else 0.0,
            "db": postgres_backends(*self.postgres) if self.postgres else None,
            "busy": busy,
            "total": total,
            "server_busy": server_busy,
            "server_total": server_total,
        }


def cpu_between(before: dict, after: dict) -> dict:
    """CPU seconds used between two samples, by whom (and the wall time)."""
    db = None
    if after["db"] is not None:  # a backend that connected meanwhile started from zero
        db = sum(cpu - before["db"].get(pid, 0.0) for pid, cpu in after["db"].items())
    return {
        "wall_s": after["wall"] - before["wall"],
        "generator_s": after["generator"] - before["generator"],
        "app_s": after["app"] - before["app"],
        "nginx_s": after["nginx"] - before["nginx"],
        "db_s": db,
        "machine_busy_s": after["busy"] - before["busy"],
        "machine_s": after["total"] - before["total"],
        # The servers' own CPUs (pinned), busy with anything: with the app servers' column,
        # how much of them other processes of the machine took meanwhile.
        "server_cpus_busy_s": after["server_busy"] - before["server_busy"],
        "server_cpus_s": after["server_total"] - before["server_total"],
    }


def measured(topology: Topology, coroutine):
    """Run the load coroutine; its result and the CPU time each side used meanwhile."""
    before = topology.sample()
    result = asyncio.run(coroutine)
    return result, cpu_between(before, topology.sample())


def healthz(topology: Topology, seconds: float = 5, concurrency: int = 64) -> dict:
    rps, cpu = measured(topology, load.ceiling(topology.front, seconds, concurrency))
    return {"rps": rps, "concurrency": concurrency, "cpu": cpu}


def vote_run(topology: Topology, kind: str, data: dict, concurrency: int, steps: int) -> dict:
    """Every code of `data` voted by `concurrency` voters at a time (or a burst: 0)."""
    targets = [topology.front]
    if concurrency:
        load_run = load.cast_run(targets, data["codes"], concurrency, steps)
    else:
        load_run = load.burst_run(targets, data["codes"])
    (stats, wall), cpu = measured(topology, load_run)
    return {
        "kind": kind,
        "steps": steps,
        "concurrency": concurrency or len(data["codes"]),
        "ballots_per_s": stats.ok / wall,
        "p50_ms": stats.percentile(50) * 1000,
        "p95_ms": stats.percentile(95) * 1000,
        "p99_ms": stats.percentile(99) * 1000,
        "max_ms": max(stats.latencies, default=0) * 1000,
        "vote_p99_ms": stats.percentile(99, stats.votes) * 1000,
        "wall_s": wall,
        "errors": stats.errors,
        "server_errors": stats.server_errors,
        "successes": stats.ok,
        "cpu": cpu,
    }


def first_requests(topology: Topology, codes: list[str]) -> dict:
    """Start the topology and time its first requests (the caller stops it)."""
    started = time.perf_counter()
    topology.start()
    figures = {"listening_after_s": time.perf_counter() - started}
    figures.update(asyncio.run(load.first_requests(topology.front, codes)))
    return figures


def staff_pdf(topology: Topology, path: str, cookie: str) -> dict:
    """A staff GET of a PDF through the server: status, seconds, size and pages."""
    browser = load.Browser(topology.front, timeout=120)
    name, _, value = cookie.partition("=")
    browser.cookies[name] = value
    started = time.perf_counter()
    try:
        response = asyncio.run(browser.request("GET", path))
    except (TimeoutError, OSError) as exc:  # a worker killed at its timeout answers nothing
        return {"status": 0, "error": type(exc).__name__, "seconds": time.perf_counter() - started}
    figures = {
        "status": response.status,
        "seconds": time.perf_counter() - started,
        "bytes": len(response.body),
    }
    if response.status == 200:
        try:
            import pypdf  # only to count the pages

            figures["pages"] = len(pypdf.PdfReader(io.BytesIO(response.body)).pages)
        except Exception as exc:  # noqa: BLE001 - a figure missing, not a failed bench
            figures["pages_error"] = repr(exc)[:200]
    return figures


def throttle_check(topology: Topology, limit: int) -> dict:
    """Wrong codes from one client address through nginx (round robin over both servers), then
    one from another address: the network limit trips at `limit` across both servers, and for
    that address only (tinnhiem/proxy.py reads it from X-Forwarded-For)."""
    port = topology.front.port
    first = asyncio.run(load.wrong_codes(load.Target("127.0.0.1", port, "127.0.0.3"), limit + 4))
    other = asyncio.run(load.wrong_codes(load.Target("127.0.0.1", port, "127.0.0.4"), 1))
    counted = [upstream for status, upstream in first if status == 404]
    return {
        "limit": limit,
        "statuses": [status for status, _ in first],
        "counted_per_server": {u: counted.count(u) for u in sorted(set(counted))},
        "locked_after": next((i for i, (s, _) in enumerate(first) if s == 429), None),
        "other_address_status": other[0][0],
    }
