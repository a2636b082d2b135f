"""The servers `make bench` starts, where they run, and the CPU time they use.

- `Gunicorn`: one app server (gunicorn.conf.py, read from the project folder), pinned to the
  server's CPUs.
- `Nginx`: Debian's nginx as a child (`daemon off`), from bench/nginx.conf filled in, in a
  temporary folder holding its pid file, error log and temporary files.
- Pinning: with two CPUs or more, the load generator (this process) keeps one CPU and the
  servers get the others (`taskset` does the same; this sets the affinity directly).
- CPU time from /proc: utime + stime of a process tree (a master's cutime + cstime count the
  workers it already reaped), of the PostgreSQL backends of the bench database, of the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def cpu_split(pin: bool) -> tuple[set[int] | None, set[int] | None]:
    """(server CPUs, generator CPUs), or (None, None) when not pinned."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None, None
    return set(cpus[:-1]), {cpus[-1]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args[0]} exited with {proc.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.005)
    raise SystemExit(f"nothing listens on {port} after {timeout} s")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def process_cpu(pid: int, children: bool = True) -> float:
    """CPU seconds of a process (user + system), with its reaped children's if `children`."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def tree_cpu(root: int) -> float:
    return sum(process_cpu(pid) for pid in tree(root))


def machine_cpu(cpus: set[int] | None = None) -> tuple[float, float]:
    """(busy, total) CPU seconds since boot of the whole machine, or of the CPUs `cpus`."""
    busy = total = 0.0
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if not name.startswith("cpu"):
            break
        if (cpus is None and name == "cpu") or (cpus is not None and name[3:] in map(str, cpus)):
            values = [int(v) for v in fields[:8]]  # user nice system idle iowait irq softirq steal
            total += sum(values) / TICK
            busy += (sum(values) - values[3] - values[4]) / TICK
    return busy, total


def rss_peak_mb(master: int) -> float:
    """Largest peak resident set (VmHWM) among a master's workers."""
    peaks = []
    for pid in tree(master)[1:]:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return max(peaks, default=0.0)


def _pinned(cpus: set[int] | None):
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


class Gunicorn:
    """`gunicorn tinnhiem.wsgi` on 127.0.0.1:port, started by `start()`, stopped by `stop()`."""

    def __init__(self, env: dict, workers: int, cpus: set[int] | None) -> None:
        self.env, self.workers, self.cpus = env, workers, cpus
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        """Start, and return once the port accepts connections: the time it took."""
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tinnhiem.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,  # when_ready's "tinnhiem is running" line
            start_new_session=True,
            preexec_fn=_pinned(self.cpus),
        )
        wait_listening(self.port, self.proc)
        return time.perf_counter() - started

    def cpu(self) -> float:
        return tree_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=30)


class Nginx:
    """nginx on 127.0.0.1:port in front of `upstreams`, as a child process."""

    def __init__(self, upstreams: list[int], cpus: set[int] | None) -> None:
        self.upstreams, self.cpus = upstreams, cpus
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="tinnhiem-nginx-")
        os.chmod(self.dir, 0o755)  # nginx's worker (nobody, under root) writes temp files there
        self.proc: subprocess.Popen | None = None

    def config(self) -> str:
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in self.upstreams)
        return (
            (ROOT / "bench" / "nginx.conf")
            .read_text()
            .replace("@DIR@", self.dir)
            .replace("@UPSTREAMS@", servers)
            .replace("@LISTEN@", f"127.0.0.1:{self.port}")
        )

    def start(self) -> None:
        conf = Path(self.dir) / "nginx.conf"
        conf.write_text(self.config())
        self.proc = subprocess.Popen(
            [NGINX, "-p", self.dir, "-c", str(conf), "-g", "daemon off;"],
            start_new_session=True,
            preexec_fn=_pinned(self.cpus),
        )
        wait_listening(self.port, self.proc)

    def cpu(self) -> float:
        return tree_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_backends(admin, database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to `database` (needs /proc access)."""
    with admin.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        return {pid: process_cpu(pid, children=False) for (pid,) in cursor.fetchall()}
