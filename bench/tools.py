"""What ``make bench`` and ``make loadtest`` share: PostgreSQL and Redis set-up, wrk, gunicorn servers
started through ``make serve``, HTTP probes and worker-memory sampling via /proc.

No Django imports here: this module runs before Django is configured.
"""

import contextlib
import http.client
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
LOCALHOST = "127.0.0.1"
# Every load request says it came through a TLS-terminating proxy, as it would in production
# (SECURE_PROXY_SSL_HEADER); without it the production settings redirect plain HTTP to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Make variables of an outer `make bench` must not leak into the `make serve` the bench starts.
_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


def log(message: str) -> None:
    print(message, flush=True)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


# --- services --------------------------------------------------------------------------------


def postgres_admin_url() -> str:
    return env_str("BENCH_POSTGRES_URL", f"postgres://postgres@{LOCALHOST}:5432")


def database_url(name: str) -> str:
    return f"{postgres_admin_url().rstrip('/')}/{name}"


def prepare_database(name: str, *, fresh: bool) -> bool:
    """Create database ``name`` (dropping it first when ``fresh``); True when it was created."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        quoted = sql.Identifier(name)
        if exists and fresh:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(quoted))
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
            return True
    return False


def drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def delete_cache_keys(redis_url: str, prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    deleted = 0
    batch = []
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted


def production_env(*, database: str, redis_url: str, cache_prefix: str, port: int) -> dict:
    """The environment variables production reads, pointed at the bench's own database and cache."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{LOCALHOST},localhost",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": redis_url,
        "WAGTAILADMIN_BASE_URL": f"http://{LOCALHOST}:{port}",
        "BAKEN_CACHE_PREFIX": cache_prefix,
        # All load comes from 127.0.0.1: every request is counted (that cost is measured), none refused.
        "BAKEN_RATE_LIMIT_ANONYMOUS": f"{10**12}/60",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


# --- wrk ------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """The wrk binary; installs the Debian package when it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("wrk is not installed: run `sudo apt-get install -y wrk` (Debian/Ubuntu), then retry.")
    log("== installing wrk (apt-get install -y wrk)")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=apt_env, check=False).returncode != 0:  # noqa: S603
        subprocess.run(["apt-get", "update", "-qq"], env=apt_env, check=True)  # noqa: S607
        subprocess.run(install, env=apt_env, check=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed.")
    return found


def wrk_version(wrk: str) -> str:
    result = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return (result.stdout + result.stderr).strip().splitlines()[0] if (result.stdout + result.stderr) else ""


def run_wrk(
    wrk: str,
    url: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    headers: dict | None = None,
    script: Path = BENCH_DIR / "report.lua",
    script_args: tuple[str, ...] = (),
    timeout_seconds: int = 10,
) -> dict:
    """Run wrk against ``url`` (127.0.0.1 only) and return the reporter's JSON."""
    if urlsplit(url).hostname != LOCALHOST:
        raise ValueError(f"load traffic goes to {LOCALHOST} only, not {url}")
    command = [
        wrk,
        f"-t{max(1, min(threads, connections))}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout_seconds}s",
        "-s",
        str(script),
    ]
    for name, value in {**PROXY_HEADERS, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError(f"wrk gave no result (exit {result.returncode}): {result.stdout}\n{result.stderr}")


def error_count(report: dict) -> int:
    """Non-2xx/3xx responses plus socket errors (connect, read, write, timeout)."""
    return sum(report["errors"].values())


# --- HTTP probes -----------------------------------------------------------------------------------


def fetch(port: int, path: str, headers: dict | None = None, timeout: float = 60) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, body
    finally:
        connection.close()


# --- processes and memory ------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, session id) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[3])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def pss_bytes(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes divided among them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def session_processes(session: int) -> dict[int, int]:
    """pid → parent pid of every live process in ``session``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == session:
                found[int(entry.name)] = stat[0]
    return found


class Server:
    """A gunicorn server started with ``make serve`` on 127.0.0.1 (a session of its own)."""

    def __init__(
        self,
        name: str,
        *,
        port: int,
        env: dict,
        settings: str,
        workers: int | None,
        log_path: Path,
        collectstatic: bool = False,
    ):
        self.name, self.port, self.env, self.settings = name, port, env, settings
        self.workers, self.log_path, self.collectstatic = workers, log_path, collectstatic
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> "Server":
        command = [
            "make",
            "--no-print-directory",
            "-s",
            "serve",
            f"HOST={LOCALHOST}",
            f"PORT={self.port}",
            f"SERVE_SETTINGS={self.settings}",
            f"SERVE_COLLECTSTATIC={int(self.collectstatic)}",
        ]
        if self.workers:
            command.append(f"SERVE_WORKERS={self.workers}")
        env = {key: value for key, value in os.environ.items() if key not in _MAKE_ENV}
        env.update(self.env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log_path}:\n{self.tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, _ = fetch(self.port, "/healthz", timeout=5)
                if status == 200 and len(self.worker_pids()) >= self.expected_workers:
                    return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} server did not answer /healthz in {timeout:.0f}s:\n{self.tail()}")

    @property
    def expected_workers(self) -> int:
        # make serve's default: 2 × the CPUs this process may run on + 1 (what `nproc` counts)
        return self.workers or 2 * len(os.sched_getaffinity(0)) + 1

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _gunicorn(self) -> tuple[int | None, list[int]]:
        if self.process is None:
            return None, []
        processes = session_processes(self.process.pid)
        gunicorn = {pid for pid in processes if "gunicorn" in _cmdline(pid)}
        masters = [pid for pid in gunicorn if processes[pid] not in gunicorn]
        if not masters:
            return None, []
        master = masters[0]
        return master, sorted(pid for pid in gunicorn if processes[pid] == master)

    def master_pid(self) -> int | None:
        return self._gunicorn()[0]

    def worker_pids(self) -> list[int]:
        return self._gunicorn()[1]

    def stop(self, timeout: float = 30) -> None:
        if self.process is None:
            return
        pgid = self.process.pid  # start_new_session: the group this server's processes belong to
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and session_processes(pgid):
            time.sleep(0.2)
        if session_processes(pgid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.process = None


def _ticks(pid: int) -> int:
    """CPU time (user + system) a process has used, in clock ticks."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def _service_pids() -> list[int]:
    """PostgreSQL and Redis processes: part of the workload, not outside load."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name.startswith(("postgres", "redis-server")):
                found.append(int(entry.name))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return total - idle, total


def _own_children_ticks() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime + own.ru_utime + own.ru_stime) * CLOCK_TICKS


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy(seconds: float = 1.0) -> float:
    """Share of the machine's CPU (0–100) in use over the next ``seconds``."""
    busy0, total0 = _machine_ticks()
    time.sleep(seconds)
    busy1, total1 = _machine_ticks()
    return 100 * (busy1 - busy0) / max(total1 - total0, 1)


def wait_for_quiet(max_wait: float, threshold: float = 20.0) -> tuple[float, float]:
    """Wait (up to ``max_wait`` s) until the machine is below ``threshold`` % busy; (busy %, waited s)."""
    started = time.monotonic()
    busy = machine_busy()
    while busy > threshold and time.monotonic() - started < max_wait:
        busy = machine_busy()
    return round(busy, 1), round(time.monotonic() - started, 1)


def wait_for_idle(servers, max_wait: float = 60, threshold: float = 5.0) -> float:
    """Wait until the servers' processes use under ``threshold`` % of one core (requests left over
    from the previous run finished); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < max_wait:
        pids = [pid for server in servers for pid in [server.master_pid() or 0, *server.worker_pids()] if pid]
        before = sum(_ticks(pid) for pid in pids)
        time.sleep(0.5)
        used = sum(_ticks(pid) for pid in pids) - before
        if 100 * used / (0.5 * CLOCK_TICKS) < threshold:
            break
    return round(time.monotonic() - started, 1)


class RunMonitor:
    """During one load run: peak RSS of the server's processes (sampled from /proc every ``interval``
    seconds) and where the machine's CPU went — the server, PostgreSQL/Redis, wrk and this process,
    and everything else (other load on the machine, which makes a run less trustworthy)."""

    def __init__(self, server: Server, interval: float = 0.1):
        self.server, self.interval = server, interval
        self.peak_worker = 0  # largest single worker
        self.peak_workers_total = 0  # all workers together
        self.peak_master = 0
        self.peak_server_pss = 0  # master and workers, shared pages counted once (sampled every second)
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._master: int | None = None
        self.cpu: dict = {}

    def _workers(self) -> list[int]:
        if self._master is None:
            self._master = self.server.master_pid()
        if self._master is None:
            return []
        try:
            children = Path(f"/proc/{self._master}/task/{self._master}/children").read_text().split()
            return [int(pid) for pid in children]
        except OSError:
            return self.server.worker_pids()

    def _sample(self) -> None:
        sizes = [rss_bytes(pid) for pid in self._workers()]
        if sizes:
            self.peak_worker = max(self.peak_worker, *sizes)
            self.peak_workers_total = max(self.peak_workers_total, sum(sizes))
        if self._master:
            self.peak_master = max(self.peak_master, rss_bytes(self._master))
        if self._samples % max(int(1 / self.interval), 1) == 0:
            pss = sum(pss_bytes(pid) for pid in [self._master or 0, *self._workers()] if pid)
            self.peak_server_pss = max(self.peak_server_pss, pss)
        self._samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def _cpu_snapshot(self) -> dict:
        server = [self._master or 0, *self._workers()]
        services = _service_pids()
        busy, total = _machine_ticks()
        return {
            "busy": busy,
            "total": total,
            "server": {pid: _ticks(pid) for pid in server if pid},
            "services": {pid: _ticks(pid) for pid in services},
            "own": _own_children_ticks(),
        }

    def __enter__(self) -> "RunMonitor":
        self._sample()
        self._before = self._cpu_snapshot()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()
        after = self._cpu_snapshot()
        before = self._before

        def spent(kind):
            return sum(ticks - before[kind].get(pid, 0) for pid, ticks in after[kind].items())

        capacity = max(after["total"] - before["total"], 1)
        busy = after["busy"] - before["busy"]
        server, services = spent("server"), spent("services")
        own = after["own"] - before["own"]
        other = max(busy - server - services - own, 0)
        self.cpu_seconds = {"server": server / CLOCK_TICKS, "postgres_redis": services / CLOCK_TICKS}
        self.cpu = {
            "machine_busy_pct": round(100 * busy / capacity, 1),
            "server_pct": round(100 * server / capacity, 1),
            "postgres_redis_pct": round(100 * services / capacity, 1),
            "wrk_and_bench_pct": round(100 * own / capacity, 1),
            "other_load_pct": round(100 * other / capacity, 1),
        }

    def as_dict(self) -> dict:
        mib = 1024 * 1024
        return {
            "peak_worker_rss_mib": round(self.peak_worker / mib, 1),
            "peak_workers_total_rss_mib": round(self.peak_workers_total / mib, 1),
            "peak_master_rss_mib": round(self.peak_master / mib, 1),
            "peak_server_total_rss_mib": round((self.peak_workers_total + self.peak_master) / mib, 1),
            "peak_server_total_pss_mib": round(self.peak_server_pss / mib, 1),
        }


# --- the machine -------------------------------------------------------------------------------------


def machine_info(wrk: str | None = None) -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "kernel": platform.release(),
        "os": _os_name(),
        "python": platform.python_version(),
    }
    info["postgresql"] = _first_line(["psql", "--version"])
    info["redis"] = _first_line(["redis-server", "--version"])
    if wrk:
        info["wrk"] = wrk_version(wrk)
    return info


def code_state() -> dict:
    """Which code is measured: the commit, the files changed since, and a digest of the Python
    sources of the apps (to tell when the code changed while the benchmark ran)."""
    import hashlib

    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603,S607
        return result.stdout.rstrip("\n") if result.returncode == 0 else ""

    digest = hashlib.sha256()
    for path in sorted(
        p for folder in ("api", "cms", "baken", "bench") for p in (ROOT / folder).rglob("*.py")
    ):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return {
        "commit": git("rev-parse", "HEAD").strip(),
        "changed_files": [line[3:] for line in git("status", "--porcelain").splitlines()],
        "sources_sha256": digest.hexdigest(),
    }


def _os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.system()


def _first_line(command: list[str]) -> str:
    if not shutil.which(command[0]):
        return ""
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return (
        (result.stdout or result.stderr).strip().splitlines()[0] if (result.stdout or result.stderr) else ""
    )


def run_command(main, *, failure: str) -> None:
    """Exit with ``main()``'s status: 130 when interrupted, 2 (after the traceback and ``failure``)
    when it could not run at all."""
    import traceback

    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        traceback.print_exc()
        print(failure, file=sys.stderr)
        sys.exit(2)
