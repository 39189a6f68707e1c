"""``make loadtest``: the production server under a sustained, mixed load.

Starts ``make serve`` (``baken.settings.production``, make serve's default worker count, static
files collected) on its own PostgreSQL database (``LOADTEST_DATABASE``, default ``baken_loadtest``;
migrated, demo content loaded) and Redis db 9 under a key prefix unique to the run, then runs wrk
for ``LOADTEST_DURATION`` (60) seconds at ``LOADTEST_CONNECTIONS`` (64) connections over a rotating
mix of list, detail, search and conditional (If-None-Match) requests in several languages
(``bench/mix.lua``). Reports requests, errors, status codes, latency percentiles and the server's
peak memory; writes ``bench/results/loadtest-<timestamp>.json``. Exits 1 when any request failed
(socket error, timeout or a status other than 200/304), 2 when the load test could not run.

Other knobs: LOADTEST_THREADS (2), LOADTEST_WORKERS (make serve's default), LOADTEST_TIMEOUT (10 s
per request), LOADTEST_REDIS_URL, BENCH_POSTGRES_URL; BAKEN_API_RESPONSE_CACHE=false to load the
server with its response cache off.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import tools
from bench.tools import log

SETTINGS = "baken.settings.production"
ACCEPTED = {200, 304}


def request_mix(port: int) -> list[tuple[str, str]]:
    """(path, Accept-Language) of the requests the load rotates over, from the demo content."""
    status, _, body = tools.fetch(port, "/api/v1/citations/")
    if status != 200:
        raise RuntimeError(f"/api/v1/citations/ answered {status}")
    citation = json.loads(body)["results"][0]["id"]
    return [
        # lists
        ("/api/v1/faqs/", ""),
        ("/api/v1/faqs/?locale=fr", ""),
        ("/api/v1/faqs/", "en-GB,en;q=0.9"),
        ("/api/v1/faqs/?campaign=schat-je-schatje&locale=de", ""),
        ("/api/v1/campaigns/", "fr-BE,fr;q=0.9"),
        ("/api/v1/helplines/", ""),
        ("/api/v1/helplines/?locale=en", ""),
        ("/api/v1/citations/", ""),
        ("/api/v1/citations/?format=csl", ""),
        ("/api/v1/locales/", ""),
        # details
        ("/api/v1/faqs/veelgestelde-vragen/", ""),
        ("/api/v1/faqs/questions-frequentes/", "fr"),
        ("/api/v1/faqs/frequently-asked-questions/?locale=en", ""),
        ("/api/v1/faqs/veelgestelde-vragen/?locale=de", ""),
        ("/api/v1/campaigns/schat-je-schatje/?locale=fr", ""),
        ("/api/v1/helplines/child-focus-116000/", "en"),
        ("/api/v1/helplines/stopchildporno-be/?locale=fr", ""),
        (f"/api/v1/citations/{citation}/", ""),
        (f"/api/v1/citations/{citation}/?format=csl", ""),
        # search
        ("/api/v1/search/?q=melden&locale=nl", ""),
        ("/api/v1/search/?q=signaler&locale=fr", ""),
        ("/api/v1/search/?q=report%20anonymously&locale=en", ""),
        ("/api/v1/search/?q=116000", "de"),
    ]


def write_requests(port: int, path: Path) -> dict:
    """The request file for mix.lua: every request once, and the lists and details again with
    If-None-Match set to the ETag the server gave them (a client revalidating)."""
    lines, conditional = [], 0
    for index, (url, language) in enumerate(request_mix(port)):
        headers = {"Accept-Language": language} if language else {}
        status, response_headers, _ = tools.fetch(port, url, headers)
        if status != 200:
            raise RuntimeError(f"{url} answered {status} before the load started")
        lines.append(f"{url}\t\t{language}")
        if "/search/" not in url and index % 3 != 2:
            lines.append(f"{url}\t{response_headers['etag']}\t{language}")
            conditional += 1
    path.write_text("\n".join(lines) + "\n")
    return {"requests": len(lines), "conditional": conditional}


def command_line() -> str:
    knobs = ("LOADTEST_DURATION", "LOADTEST_CONNECTIONS", "LOADTEST_WORKERS", "BAKEN_API_RESPONSE_CACHE")
    return " ".join(
        ["make loadtest", *(f"{name}={os.environ[name]}" for name in knobs if os.environ.get(name))]
    )


def main() -> int:
    duration = tools.env_int("LOADTEST_DURATION", 60)
    connections = tools.env_int("LOADTEST_CONNECTIONS", 64)
    threads = tools.env_int("LOADTEST_THREADS", 2)
    workers = tools.env_int("LOADTEST_WORKERS", 0) or None
    timeout = tools.env_int("LOADTEST_TIMEOUT", 10)
    database = tools.env_str("LOADTEST_DATABASE", "baken_loadtest")
    redis_url = tools.env_str("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    log(f"== Baken load test {stamp}: {duration} s, {connections} connections")
    wrk = tools.ensure_wrk()
    cache_prefix = f"baken-loadtest-{stamp}-{os.getpid()}"
    work_dir = Path(tempfile.mkdtemp(prefix=f"baken-loadtest-{stamp}-"))
    port = tools.free_port()
    env = tools.production_env(database=database, redis_url=redis_url, cache_prefix=cache_prefix, port=port)

    created = tools.prepare_database(database, fresh=False)
    log(f"== database {database}: {'created' if created else 'exists'}; migrating, loading the demo content")
    manage_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": SETTINGS}
    server = tools.Server(
        "production",
        port=port,
        env=env,
        settings=SETTINGS,
        workers=workers,
        log_path=work_dir / "server.log",
        collectstatic=True,
    )
    try:
        for command in (["migrate", "--noinput", "--verbosity", "0"], ["load_demo_content"]):
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", *command],
                cwd=tools.ROOT,
                env=manage_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        server.start(timeout=180)
        worker_count = len(server.worker_pids())
        log(f"== make serve: {worker_count} workers on 127.0.0.1:{port}")
        mix = write_requests(port, work_dir / "requests.tsv")
        log(f"== {mix['requests']} requests in rotation ({mix['conditional']} conditional); running wrk")
        with tools.RunMonitor(server) as monitor:
            report = tools.run_wrk(
                wrk,
                f"http://{tools.LOCALHOST}:{port}/api/v1/",
                duration=duration,
                connections=connections,
                threads=threads,
                script=tools.BENCH_DIR / "mix.lua",
                script_args=(str(work_dir / "requests.tsv"),),
                timeout_seconds=timeout,
            )
    finally:
        server.stop()
        tools.delete_cache_keys(redis_url, cache_prefix)

    statuses = {int(code): count for code, count in report.get("statuses", {}).items()}
    unexpected = {code: count for code, count in statuses.items() if code not in ACCEPTED}
    errors = tools.error_count(report) + sum(unexpected.values()) - report["errors"]["status"]
    seconds = report["duration_us"] / 1e6
    latency = {key: round(value / 1000, 2) for key, value in report["latency_us"].items()}
    result = {
        "started_at": started.isoformat(),
        "command": command_line(),
        "machine": tools.machine_info(wrk),
        "code": tools.code_state(),
        "config": {
            "duration_s": duration,
            "connections": connections,
            "threads": threads,
            "workers": worker_count,
            "timeout_s": timeout,
            "database": database,
            "mix": mix,
        },
        "requests": report["requests"],
        "rps": round(report["requests"] / seconds, 1) if seconds else 0,
        "errors": report["errors"],
        "unexpected_statuses": unexpected,
        "error_total": errors,
        "statuses": statuses,
        "latency_ms": latency,
        "memory": monitor.as_dict(),
        "cpu": monitor.cpu,
    }
    tools.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = tools.RESULTS_DIR / f"loadtest-{stamp}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    memory = result["memory"]
    log(
        f"\nrequests      {result['requests']:,} in {seconds:.1f} s = {result['rps']:,.1f} req/s "
        f"({connections} connections, {worker_count} workers)\n"
        f"statuses      {', '.join(f'{code}: {count:,}' for code, count in sorted(statuses.items()))}\n"
        f"errors        {errors} (connect {report['errors']['connect']}, read {report['errors']['read']}, "
        f"write {report['errors']['write']}, timeout {report['errors']['timeout']}, "
        f"status other than 200/304 {sum(unexpected.values())})\n"
        f"latency ms    p50 {latency['p50']}  p75 {latency['p75']}  p90 {latency['p90']}  "
        f"p99 {latency['p99']}  p99.9 {latency['p999']}  max {latency['max']}\n"
        f"peak memory   server {memory['peak_server_total_pss_mib']} MiB PSS, "
        f"{memory['peak_server_total_rss_mib']} MiB RSS (master {memory['peak_master_rss_mib']}, "
        f"largest worker {memory['peak_worker_rss_mib']}, workers together "
        f"{memory['peak_workers_total_rss_mib']}; RSS counts the pages workers share with the master "
        "once per process)\n"
        f"cpu           server {result['cpu']['server_pct']}%, PostgreSQL/Redis "
        f"{result['cpu']['postgres_redis_pct']}%, wrk {result['cpu']['wrk_and_bench_pct']}%, "
        f"other load {result['cpu']['other_load_pct']}% of the machine\n"
        f"results       {path.relative_to(tools.ROOT)}"
    )
    if errors:
        log(f"FAIL: {errors} request(s) failed")
        return 1
    log("PASS: no errors")
    return 0


if __name__ == "__main__":
    tools.run_command(main, failure="make loadtest: the load test could not run (see above).")
