"""``make bench``'s mixed load: normal readers alone, then next to one client flooding random searches.

Invariants:

* The server is a ``make serve`` like the others, plus ``BAKEN_TRUSTED_PROXIES=1`` and the
  anonymous rate limit ``BENCH_MIXED_RATE_LIMIT`` (production's default ``100/10``: a bucket of
  100 units refilled at 10 a second; a search costs 5): every request names its client in
  ``X-Forwarded-For``, as a TLS proxy would.
* Readers are ``bench/mix.lua``'s rotation (``make loadtest``'s lists, details, fixed searches and
  revalidations) at ``BENCH_CONNECTIONS`` connections, each request from one of
  ``BENCH_MIXED_READER_ADDRESSES`` addresses: many people, each far below the rate limit, so no
  reader is ever refused. A reader's answer other than 200/304 is an error.
* The attacker is one address (``ATTACKER``) on ``BENCH_MIXED_ATTACKER_CONNECTIONS`` connections
  sending ``search.lua``'s attack mode — vocabulary words, non-words, random Accept-Language, so
  nearly every query string and header is new — paced to ``BENCH_MIXED_SHARE`` (10 %) of the
  readers' request rate measured alone (wrk can only pause between requests on a connection, so
  the share achieved is measured and reported). Its 429s are expected; a 5xx or socket error is
  an error.
* Both runs last ``BENCH_MIXED_DURATION`` seconds after the same warm-up, on the same server
  (its RSS never shrinks: the second run's peak includes the first). The attacker gets a full
  bucket (20 searches) at once, then 2 searches a second (api/rate_limits/gcra.py).
"""

import concurrent.futures
from pathlib import Path

from bench import loadtest, tools
from bench.tools import log

ATTACKER = "198.51.100.66"  # TEST-NET-2: one client address, never a reader's (10.x.y.z)
READER_STATUSES = frozenset({200, 304})
ATTACKER_STATUSES = frozenset({200, 429})
# What a flood of distinct query strings and headers can add to one worker, by the code's own
# bounds (docs/performance.md, "Memory under a flood"): the response cache's local entries
# (BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES, 32 MiB), the entry-key memo (< 5 MiB), the cache-key
# memo (8,192 keys of fixed length, < 4 MiB), client-address buckets (4,096 short entries,
# < 1 MiB) and the Accept memo (< 128 KiB); rounded up to leave room for the allocator.
FLOOD_BOUND_MIB = 48


def summarise(report: dict, accepted: frozenset[int], *, server_errors_only: bool = False) -> dict:
    """req/s, latency (ms), statuses and errors of one wrk report. Errors are socket errors and
    timeouts plus statuses outside ``accepted`` (only 5xx when ``server_errors_only``)."""
    seconds = report["duration_us"] / 1e6
    statuses = {int(code): count for code, count in report.get("statuses", {}).items()}
    bad = {
        code: count
        for code, count in statuses.items()
        if (code >= 500 if server_errors_only else code not in accepted)
    }
    socket = sum(count for kind, count in report["errors"].items() if kind != "status")
    return {
        "requests": report["requests"],
        "rps": round(report["requests"] / seconds, 1) if seconds else 0,
        "latency_ms": {key: round(value / 1000, 2) for key, value in report["latency_us"].items()},
        "statuses": statuses,
        "socket_errors": socket,
        "bad_statuses": bad,
        "error_total": socket + sum(bad.values()),
        "zero_results": report.get("zero_results"),
    }


def server_env(base_env: dict, cfg, cache: str, cache_prefix: str, port: int) -> dict:
    return {
        **base_env,
        **tools.production_env(
            database=cfg.database, redis_url=cfg.redis_url, cache_prefix=cache_prefix, port=port
        ),
        "BAKEN_API_RESPONSE_CACHE": cache,
        "BAKEN_TRUSTED_PROXIES": "1",
        "BAKEN_RATE_LIMIT_ANONYMOUS": cfg.mixed_rate_limit,
    }


def run_readers(wrk, port, cfg, requests_file: Path, duration: int) -> dict:
    per_thread = max(1, cfg.mixed_reader_addresses // max(cfg.threads, 1))
    return tools.run_wrk(
        wrk,
        f"http://{tools.LOCALHOST}:{port}/api/v1/",
        duration=duration,
        connections=cfg.connections,
        threads=cfg.threads,
        script=tools.BENCH_DIR / "mix.lua",
        script_args=(str(requests_file), str(per_thread)),
        timeout_seconds=cfg.timeout,
    )


def run_attacker(wrk, port, cfg, words_file: Path, duration: int, pause_ms: int) -> dict:
    return tools.run_wrk(
        wrk,
        f"http://{tools.LOCALHOST}:{port}/api/v1/search/",
        duration=duration,
        connections=cfg.mixed_attacker_connections,
        threads=1,
        headers={"X-Forwarded-For": ATTACKER},
        script=tools.BENCH_DIR / "search.lua",
        script_args=(str(words_file), "attack", str(cfg.search_seed), str(pause_ms)),
        timeout_seconds=cfg.timeout,
    )


def attacker_pause_ms(readers_rps: float, share: float, connections: int) -> int:
    """Pause before each attacker request on each connection so that the attacker sends about
    ``share`` of all requests, were the readers' rate unchanged and its answers instant."""
    target_rps = max(readers_rps * share / (1 - share), 0.1)
    return max(1, round(connections * 1000 / target_rps))


def _settle(server, cfg) -> dict:
    """Wait for the server to finish earlier requests and for the machine to be quiet."""
    idle = tools.wait_for_idle([server])
    busy, waited = tools.wait_for_quiet(cfg.quiet_wait, cfg.quiet_below)
    return {"waited_for_idle_servers_s": idle, "machine_busy_before_pct": busy, "waited_for_quiet_s": waited}


def measure(name: str, cfg, wrk, base_env, cache_prefix, log_dir: Path, words_file: Path, n: int) -> dict:
    """One server (``name``: cache_on or cache_off): readers alone, then readers and the attacker."""
    cache = "true" if name == "cache_on" else "false"
    port = tools.free_port()
    server = tools.Server(
        f"mixed-{name}",
        port=port,
        env=server_env(base_env, cfg, cache, cache_prefix, port),
        settings="baken.settings.bench",
        workers=cfg.workers,
        log_path=log_dir / f"server-mixed-{name}-n{n}.log",
    )
    server.start()
    workers = len(server.worker_pids())
    try:
        requests_file = log_dir / f"readers-{name}.tsv"
        mix = loadtest.write_requests(port, requests_file)
        if cfg.warmup:
            run_readers(wrk, port, cfg, requests_file, cfg.warmup)
        before_alone = _settle(server, cfg)
        with tools.RunMonitor(server) as alone_monitor:
            alone = summarise(run_readers(wrk, port, cfg, requests_file, cfg.mixed_duration), READER_STATUSES)
        pause = attacker_pause_ms(alone["rps"], cfg.mixed_share, cfg.mixed_attacker_connections)
        before_attack = _settle(server, cfg)
        with (
            tools.RunMonitor(server) as attack_monitor,
            concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool,
        ):
            readers_job = pool.submit(run_readers, wrk, port, cfg, requests_file, cfg.mixed_duration)
            attacker_job = pool.submit(run_attacker, wrk, port, cfg, words_file, cfg.mixed_duration, pause)
            readers = summarise(readers_job.result(), READER_STATUSES)
            attacker = summarise(attacker_job.result(), ATTACKER_STATUSES, server_errors_only=True)
    finally:
        server.stop()
    total = readers["requests"] + attacker["requests"]
    result = {
        "n": n,
        "server": name,
        "cache": "on" if cache == "true" else "off",
        "duration_s": cfg.mixed_duration,
        "rate_limit_anonymous": cfg.mixed_rate_limit,
        "reader_addresses": cfg.mixed_reader_addresses,
        "reader_mix": mix,
        "attacker_connections": cfg.mixed_attacker_connections,
        "attacker_pause_ms": pause,
        "attacker_target_share": cfg.mixed_share,
        "attacker_share": round(attacker["requests"] / total, 3) if total else None,
        "readers_alone": alone,
        "readers_with_attacker": readers,
        "attacker": attacker,
        "p99_ratio": round(readers["latency_ms"]["p99"] / alone["latency_ms"]["p99"], 2)
        if alone["latency_ms"]["p99"]
        else None,
        "memory_alone": alone_monitor.as_dict(),
        "memory_with_attacker": attack_monitor.as_dict(),
        "cpu_alone": alone_monitor.cpu,
        "cpu_with_attacker": attack_monitor.cpu,
        "settle": {"alone": before_alone, "with_attacker": before_attack},
        "workers": workers,
    }
    log(
        f"  mixed load, cache {result['cache']}: readers alone {alone['rps']} req/s p99 "
        f"{alone['latency_ms']['p99']} ms; with attacker {readers['rps']} req/s p99 "
        f"{readers['latency_ms']['p99']} ms (× {result['p99_ratio']}); attacker {attacker['rps']} req/s "
        f"({100 * (result['attacker_share'] or 0):.1f} %), statuses {attacker['statuses']}; errors readers "
        f"{alone['error_total']}+{readers['error_total']}, attacker {attacker['error_total']}; worker RSS "
        f"{result['memory_alone']['peak_worker_rss_mib']} → "
        f"{result['memory_with_attacker']['peak_worker_rss_mib']} MiB"
    )
    return result
