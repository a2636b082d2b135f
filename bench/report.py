"""docs/benchmarks.md from the figures of one `make bench` (var/benchmarks.json)."""

from __future__ import annotations

import datetime

import targets

NOT_MEASURED = "not measured"


def ms(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.0f}"


def cores(seconds: float | None, wall: float) -> str:
    return "–" if seconds is None or not wall else f"{seconds / wall:.2f}"


def checks_text(check: dict) -> str:
    if check["consistent"]:
        return (
            f"ok: {check['ballots']} ballots = {check['used']} used codes = "
            f"{check['successes']} submits, {check['marks']} marks"
        )
    return f"FAILED {check}"


def errors_text(run: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in run["errors"].items()) or "none"


def cast_table(result: dict) -> list[str]:
    healthz = result["healthz_rps"]
    lines = [
        "`GET /healthz` (64 concurrent) before, between and after the two 16-voter runs: "
        + ", ".join(f"{h['rps']:.0f}" for h in result["healthz"])
        + f" requests/s (mean {healthz:.0f}). A 16-voter run is divided by the mean of the "
        "measurements either side of it, the other runs by the mean of all.",
        "",
        "| run | ballots/s | ÷ healthz | p50 ms | p95 ms | p99 ms | vote p99 ms | errors | 5xx "
        "| SQL checks |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---|",
    ]
    for run in result["runs"]:
        lines.append(
            f"| {run['kind']} | {run['ballots_per_s']:.0f} | "
            f"{run['ballots_per_s'] / run.get('healthz_rps', healthz):.3f} "
            f"| {run['p50_ms']:.0f} | {run['p95_ms']:.0f} | {run['p99_ms']:.0f} | "
            f"{run['vote_p99_ms']:.0f} | {errors_text(run)} | {run['server_errors']} | "
            f"{checks_text(run['check'])} |"
        )
    return lines


def cpu_table(result: dict) -> list[str]:
    lines = [
        "| run | wall s | app servers | nginx | PostgreSQL backends | load generator "
        "| server's CPUs busy | machine busy "
        "| server CPU ms per ballot (per request for healthz) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [
        (f"healthz ({i + 1})", h["cpu"], h["rps"] * h["cpu"]["wall_s"], h)
        for i, h in enumerate(result["healthz"])
    ]
    rows += [(r["kind"], r["cpu"], r["successes"], r) for r in result["runs"]]
    for kind, cpu, count, _ in rows:
        wall = cpu["wall_s"]
        server = targets.server_cpu(cpu)
        machine = cpu["machine_busy_s"] / cpu["machine_s"] if cpu["machine_s"] else 0
        pinned = cpu.get("server_cpus_s") or 0
        own = f"{cpu['server_cpus_busy_s'] / pinned:.0%}" if pinned else "–"
        lines.append(
            f"| {kind} | {wall:.1f} | {cores(cpu['app_s'], wall)} | "
            f"{cores(cpu['nginx_s'], wall) if cpu['nginx_s'] else '–'} | "
            f"{cores(cpu['db_s'], wall)} | {cores(cpu['generator_s'], wall)} | {own} | "
            f"{machine:.0%} | {server / count * 1000 if count else 0:.2f} |"
        )
    return lines


def topology_section(title: str, result: dict) -> list[str]:
    lines = [f"### {title}", ""]
    if "healthz_rps" not in result:
        return [*lines, NOT_MEASURED, ""]
    lines += cast_table(result)
    lines += ["", "CPU used during each run, in cores (CPU seconds ÷ wall seconds):", ""]
    lines += cpu_table(result)
    ratios = targets.cpu_ratios(result)
    if ratios:
        lines += [
            "",
            "The same ratio from CPU time alone (server CPU per healthz request ÷ server CPU "
            "per ballot, app servers + nginx + PostgreSQL backends), which no load generator "
            "can bias: " + "; ".join(f"{k}: **{v:.3f}**" for k, v in ratios.items()) + ".",
        ]
    return [*lines, ""]


def first_request_section(reports: list[dict]) -> list[str]:
    lines = [
        "## First request after start",
        "",
        "Timed from the moment the app server's port accepts a connection: the first `GET /b/`,",
        "then the median of the next 20; the first ballot page (`POST /b/` with a code, the",
        "first request to use the database) against the median of the next 20.",
        "",
        "| database | listening after | first GET /b/ | median of next 20 | first ballot page "
        "| median of next 20 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result in reports:
        first = result.get("first_request")
        if first is None:
            lines.append(f"| {result['database']} | {NOT_MEASURED} | | | | |")
            continue
        lines.append(
            f"| {result['database']} | {first['listening_after_s']:.2f} s | "
            f"{first['start_page_first_ms']:.1f} ms | {first['start_page_median_ms']:.1f} ms | "
            f"{first['ballot_page_first_ms']:.1f} ms | {first['ballot_page_median_ms']:.1f} ms |"
        )
    return [*lines, ""]


def throttle_section(two: dict) -> list[str]:
    throttle = two.get("throttle")
    if throttle is None:
        return []
    per_server = ", ".join(
        f"{n} by {server}" for server, n in throttle["counted_per_server"].items()
    )
    return [
        "#### The code-guess throttle is shared",
        "",
        f"A second pair of app servers behind nginx, with `CODE_GUESS_NETWORK_LIMIT="
        f"{throttle['limit']}` (for this check only; `TRUSTED_PROXIES=127.0.0.1`). One client "
        f"(127.0.0.3) sends {len(throttle['statuses'])} wrong codes one after the other, each "
        "from a new device (no cookie), so only the network limit counts them; nginx sends them "
        "to the two servers in turn.",
        "",
        f"- Answers in order: {' '.join(str(s) for s in throttle['statuses'])} (404: unknown "
        "code, counted; 429: locked).",
        f"- Counted before the lock: {per_server}; locked from wrong code number "
        f"{(throttle['locked_after'] or 0) + 1} on.",
        f"- Then a wrong code from another client (127.0.0.4), through the same nginx: "
        f"{throttle['other_address_status']} (its own count: the lock follows the client's "
        "address that nginx forwards, not nginx's own).",
        "",
    ]


def inprocess_section(result: dict) -> list[str]:
    inprocess = result.get("inprocess") or {}
    lines = [f"### {result['database']}", ""]
    if "error" in inprocess:
        return [*lines, f"{NOT_MEASURED}: `bench/inprocess.py` failed.", ""]
    lines += ["| what | time | queries |", "|---|---:|---:|"]
    for name, figures in (inprocess.get("tally") or {}).items():
        lines.append(
            f"| tally of {name} ballots × candidates | {figures['seconds'] * 1000:.0f} ms | "
            f"{figures.get('queries', '')} |"
        )
        if "close_seconds" in figures:  # where the marks are counted, once
            lines.append(
                f"| closing the {name} session (shuffle, count, compact) | "
                f"{figures['close_seconds']:.1f} s | |"
            )
    for name, figures in (inprocess.get("pages") or {}).items():
        lines.append(f"| {name} | {figures['seconds'] * 1000:.0f} ms | {figures['queries']} |")
    for name, seconds in (inprocess.get("documents") or {}).items():
        lines.append(f"| {name} (PDF) | {seconds:.2f} s | |")
    pdf = result.get("ballot_form_pdf")
    if pdf is not None:
        lines.append(
            f"| ballot form, {targets.COPIES} copies, through gunicorn as staff | "
            f"{targets.pdf_text(pdf)} | |"
        )
    return [*lines, ""]


def render(reports: list[dict], day: datetime.date) -> str:
    machine = reports[0]["machine"] if reports else "?"
    pinning = reports[0]["pinning"] if reports else {}
    lines = [
        "# Benchmarks",
        "",
        f"Measured {day:%Y-%m-%d} by `make bench` on {machine}. " + targets.pinning_text(pinning),
        "",
        *targets.METHOD,
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *targets.rows(reports),
        "",
        "## Casting under load",
        "",
    ]
    for result in reports:
        workers = result["workers"]
        lines += topology_section(
            f"{result['database']}, one app server (gunicorn, {workers} sync workers)", result
        )
        two = result.get("two_servers")
        if two is not None:
            lines += topology_section(
                f"{result['database']}, two app servers ({two['workers_each']} sync workers "
                "each) behind nginx",
                two,
            )
            lines += throttle_section(two)
    lines += first_request_section(reports)
    lines += ["## Tally, pages and documents", ""]
    for result in reports:
        lines += inprocess_section(result)
    lines += targets.REPRODUCE
    return "\n".join(lines)
