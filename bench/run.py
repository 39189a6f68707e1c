"""``make bench``: how fast Baken's public API answers, against Wagtail's API v2 and the stack's ceiling.

1. Creates its own PostgreSQL database (``BENCH_DATABASE``, default ``baken_bench``), migrates it and
   loads the demo content; uses Redis db 9 under a key prefix unique to the run.
2. For each size N in ``BENCH_SIZES`` (ascending), grows the seeded FAQ pages to N per locale
   (``bench/seed.py``), then starts two production servers with ``make serve`` and
   ``baken.settings.bench`` — the shared response cache on, and off (``BAKEN_API_RESPONSE_CACHE=false``)
   — and loads them with wrk at ``BENCH_CONNECTIONS`` (8) connections for ``BENCH_DURATION`` (10)
   seconds per scenario, after ``BENCH_WARMUP`` (2) seconds of warm-up. Worker memory (RSS) is
   sampled from /proc during each run. Queries per request are counted in-process with
   ``CaptureQueriesContext`` (a steady-state request: the second one, after one warm-up request).
3. At ``BENCH_N`` (default 1000) it runs every scenario; at the other sizes the FAQ list (cached and
   uncached), the uncached FAQ detail, uncached searches with random words (``bench/search.lua``,
   words from ``bench/vocabulary.py``), their Wagtail API v2 counterparts and the ceiling. At
   ``BENCH_N`` it then runs the mixed load (``bench/mixed.py``): normal readers alone, then next to
   one client flooding random searches, on a server with the production rate limit, cache on and off.
4. Writes ``bench/results/<timestamp>.json`` and ``bench/results/latest.md`` and prints PASS/FAIL per
   target. Exit status 0 even when a target fails, unless ``BENCH_STRICT=1``; 2 when the bench
   itself could not run.

Other knobs: BENCH_THREADS (2), BENCH_WORKERS (make serve's default), BENCH_SEARCH_QUERY (melden),
BENCH_SEARCH_WORDS (100 words probed per locale), BENCH_SEARCH_SEED (1), BENCH_MIXED=0 (skip the
mixed load), BENCH_MIXED_DURATION (30), BENCH_MIXED_SHARE (10 %), BENCH_MIXED_RATE_LIMIT (100/10),
BENCH_MIXED_READER_ADDRESSES (1024), BENCH_MIXED_ATTACKER_CONNECTIONS (8),
BENCH_REUSE_DB=1 (keep and top up an existing bench database instead of recreating it),
BENCH_DROP_DB=1 (drop the database afterwards), BENCH_REDIS_URL, BENCH_POSTGRES_URL.
"""

import datetime as dt
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from bench import mixed, tools
from bench.tools import log

SETTINGS = "baken.settings.bench"
V2_LIST_FIELDS = "translation_key,last_published_at"
KNOBS = (
    "BENCH_SIZES",
    "BENCH_N",
    "BENCH_DURATION",
    "BENCH_WARMUP",
    "BENCH_CONNECTIONS",
    "BENCH_THREADS",
    "BENCH_WORKERS",
    "BENCH_SEARCH_QUERY",
    "BENCH_SEARCH_WORDS",
    "BENCH_SEARCH_SEED",
    "BENCH_MIXED",
    "BENCH_MIXED_DURATION",
    "BENCH_MIXED_SHARE",
    "BENCH_MIXED_RATE_LIMIT",
    "BENCH_MIXED_READER_ADDRESSES",
    "BENCH_MIXED_ATTACKER_CONNECTIONS",
    "BENCH_REUSE_DB",
    "BENCH_DATABASE",
)


class Config:
    def __init__(self):
        sizes = [int(value) for value in tools.env_str("BENCH_SIZES", "100 1000 10000").split()]
        self.main_n = tools.env_int("BENCH_N", 1000)
        self.sizes = sorted(set(sizes) | {self.main_n})
        self.duration = tools.env_int("BENCH_DURATION", 10)
        self.warmup = tools.env_int("BENCH_WARMUP", 2)
        self.connections = tools.env_int("BENCH_CONNECTIONS", 8)
        self.threads = tools.env_int("BENCH_THREADS", 2)
        self.workers = tools.env_int("BENCH_WORKERS", 0) or None
        self.search_query = tools.env_str("BENCH_SEARCH_QUERY", "melden")
        self.database = tools.env_str("BENCH_DATABASE", "baken_bench")
        self.redis_url = tools.env_str("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
        self.reuse_db = tools.env_str("BENCH_REUSE_DB", "0") == "1"
        self.drop_db = tools.env_str("BENCH_DROP_DB", "0") == "1"
        self.strict = tools.env_str("BENCH_STRICT", "0") == "1"
        self.timeout = tools.env_int("BENCH_TIMEOUT", 10)
        self.quiet_wait = tools.env_int("BENCH_QUIET_WAIT", 30)
        self.quiet_below = tools.env_int("BENCH_QUIET_BELOW", 20)
        self.search_words = tools.env_int("BENCH_SEARCH_WORDS", 100)
        self.search_seed = tools.env_int("BENCH_SEARCH_SEED", 1)
        self.mixed = tools.env_str("BENCH_MIXED", "1") == "1"
        self.mixed_duration = tools.env_int("BENCH_MIXED_DURATION", 30)
        self.mixed_share = tools.env_int("BENCH_MIXED_SHARE", 10) / 100
        self.mixed_rate_limit = tools.env_str("BENCH_MIXED_RATE_LIMIT", "100/10")
        self.mixed_reader_addresses = tools.env_int("BENCH_MIXED_READER_ADDRESSES", 1024)
        self.mixed_attacker_connections = tools.env_int("BENCH_MIXED_ATTACKER_CONNECTIONS", 8)

    def as_dict(self) -> dict:
        return {
            "sizes_per_locale": self.sizes,
            "locales": ["nl", "fr", "en", "de"],
            "main_n": self.main_n,
            "duration_s": self.duration,
            "warmup_s": self.warmup,
            "connections": self.connections,
            "threads": self.threads,
            "workers": self.workers,
            "search_query": self.search_query,
            "database": self.database,
            "redis_url": self.redis_url,
            "request_timeout_s": self.timeout,
            "quiet_wait_s": self.quiet_wait,
            "quiet_below_pct": self.quiet_below,
            "search_words_per_locale": self.search_words,
            "search_seed": self.search_seed,
            "mixed": self.mixed,
            "mixed_duration_s": self.mixed_duration,
            "mixed_share": self.mixed_share,
            "mixed_rate_limit": self.mixed_rate_limit,
            "mixed_reader_addresses": self.mixed_reader_addresses,
            "mixed_attacker_connections": self.mixed_attacker_connections,
        }


def command_line() -> str:
    knobs = [f"{name}={shlex.quote(os.environ[name])}" for name in KNOBS if os.environ.get(name)]
    return " ".join(["make bench", *knobs])


# --- scenarios -------------------------------------------------------------------------------------


class Scenario:
    """One URL (or, with ``mode``, one search.lua mode) loaded on one server. ``path`` is what the
    probe and the in-process measurement request; with ``mode`` it is one sample search, and wrk
    sends random ones."""

    def __init__(self, name, label, server, path, *, expected=200, conditional=False, family=None, mode=None):
        self.name, self.label, self.server, self.path = name, label, server, path
        self.expected, self.conditional, self.family = expected, conditional, family
        self.mode = mode

    @property
    def key(self) -> str:
        return f"{self.name}:{self.server}"


def scenarios_for(
    n: int, main_n: int, *, detail_slug: str, detail_id: int, query: str, sample_word: tuple[str, str]
) -> list[Scenario]:
    """Every size: FAQ list (cache off and on), uncached FAQ detail, uncached random searches, their
    v2 counterparts and the ceiling; at ``main_n`` also the rest (cached detail, 304s, help-lines,
    the fixed search)."""
    from bench import vocabulary

    v1_list = "/api/v1/faqs/?limit=20"
    v1_detail = f"/api/v1/faqs/{detail_slug}/"
    v2_list = f"/api/v2/pages/?type=cms.FAQPage&locale=nl&limit=20&fields={V2_LIST_FIELDS}"
    v2_detail = f"/api/v2/pages/{detail_id}/?rich_text_format=html"
    code, word = sample_word
    v1_search = vocabulary.v1_path(code, word).removesuffix("&limit=1")
    v2_search = vocabulary.v2_path(code, word).removesuffix("&limit=1")
    found = []
    full = n == main_n
    for server in ("cache_off", "cache_on"):
        found.append(Scenario("faq_list", "FAQ list", server, v1_list, family="list"))
        if full or server == "cache_off":
            found.append(Scenario("faq_detail", "FAQ detail", server, v1_detail, family="detail"))
        if full:
            found += [
                Scenario(
                    "faq_detail_304",
                    "FAQ detail, If-None-Match → 304",
                    server,
                    v1_detail,
                    expected=304,
                    conditional=True,
                    family="detail",
                ),
                Scenario("helplines", "Help-line list", server, "/api/v1/helplines/"),
                Scenario("search", f"Search “{query}”", server, f"/api/v1/search/?q={query}"),
            ]
    found.append(
        Scenario("search_random", "Search, random words", "cache_off", v1_search, family="search", mode="v1")
    )
    found.append(Scenario("v2_faq_list", "Wagtail API v2: FAQ list", "v2", v2_list, family="list"))
    found.append(Scenario("v2_faq_detail", "Wagtail API v2: FAQ detail", "v2", v2_detail, family="detail"))
    found.append(
        Scenario(
            "v2_search_random",
            "Wagtail API v2: search, random words",
            "v2",
            v2_search,
            family="search",
            mode="v2",
        )
    )
    found.append(Scenario("ceiling", "Ceiling: precomputed bytes", "v2", "/bench/ceiling/"))
    return found


# v2 and the ceiling do not use Baken's response cache; they run on the cache-off server.
SERVER_OF = {"cache_off": "cache_off", "cache_on": "cache_on", "v2": "cache_off"}


def run_order(scenario: Scenario) -> int:
    """RSS never shrinks, so a server's peak worker memory includes every earlier run on it: the
    uncached searches (by far the largest) run last, after v2 and the ceiling on the same server —
    the fixed one, v2's random words, then Baken's random words — and the cached search (whose
    first request fills the cache) last on the cache-on server."""
    if scenario.mode == "v1":
        return 6
    if scenario.mode == "v2":
        return 5
    searching = scenario.name == "search"
    return {
        ("cache_off", False): 0,
        ("cache_on", False): 1,
        ("cache_on", True): 2,
        ("v2", False): 3,
        ("cache_off", True): 4,
    }[scenario.server, searching]


# --- in-process measurements ---------------------------------------------------------------------


def measure_in_process(scenarios: list[Scenario]) -> dict:
    """Queries per request and response size, per scenario, counted in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(raise_request_exception=False)  # a failing endpoint is a result, not a crash
    host = {"HTTP_HOST": tools.LOCALHOST, "secure": True}
    measured = {}
    for scenario in scenarios:
        with override_settings(BAKEN_API_RESPONSE_CACHE=scenario.server == "cache_on"):
            first = client.get(scenario.path, **host)  # warms process caches, fills the response cache
            headers = {}
            if scenario.conditional:
                headers["HTTP_IF_NONE_MATCH"] = first.get("ETag", "")
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(scenario.path, **host, **headers)
                elapsed = time.perf_counter() - started
        measured[scenario.key] = {
            "queries": len(queries),
            "service_ms": round(elapsed * 1000, 2),
            "status": response.status_code,
            "body_bytes": len(response.content),
        }
    return measured


def detail_target(n: int) -> tuple[str, int]:
    """The FAQ page the detail scenarios read: a seeded Dutch page in the middle of the site."""
    from bench import seed
    from cms.pages.models import FAQPage

    slug = seed.slug_for("nl", n // 2)
    page = FAQPage.objects.get(slug=slug, locale__language_code="nl")
    return slug, page.pk


# --- one size ----------------------------------------------------------------------------------------


def search_words(state: dict, cfg, log_dir: Path) -> Path:
    """The words file for random searches, probed once (at the first size) and reused: the seeded
    vocabulary is the same at every N. ``state`` keeps the file and the probe's statistics."""
    from bench import vocabulary

    if "words_file" not in state:
        kept, stats = vocabulary.probe(cfg.search_words, log=log)
        state["words_file"] = vocabulary.write(log_dir / "search-words.tsv", kept)
        state["vocabulary"] = stats
        state["sample_word"] = next((code, words[0]) for code, words in kept.items() if words)
        log(f"  vocabulary probed in {stats['seconds']} s; words in {state['words_file']}")
    return state["words_file"]


def run_size(n, cfg, wrk, base_env, cache_prefix, log_dir, state) -> tuple[list[dict], dict, list[dict]]:
    import io

    from django.core.management import call_command

    from bench import seed

    log(f"\n== N = {n} FAQ pages per locale")
    migrate_output = io.StringIO()
    call_command("migrate", interactive=False, verbosity=1, stdout=migrate_output)
    applied = [line.strip() for line in migrate_output.getvalue().splitlines() if "Applying" in line]
    if applied:
        log(f"!! the code changed during the benchmark; applied new migrations: {applied}")
    seeding = seed.seed(n, log=log)
    seeding["migrations_applied"] = applied
    log(
        f"  seeding: {seeding['created']} pages in {seeding['seconds']} s "
        f"({seeding['faq_pages_total']} FAQ pages in the database)"
    )
    detail_slug, detail_id = detail_target(n)
    words_file = search_words(state, cfg, log_dir)
    scenarios = scenarios_for(
        n,
        cfg.main_n,
        detail_slug=detail_slug,
        detail_id=detail_id,
        query=cfg.search_query,
        sample_word=state["sample_word"],
    )
    in_process = measure_in_process(scenarios)
    detail_size = in_process.get("faq_detail:cache_off", {}).get("body_bytes")
    if detail_size is None:
        detail_size = measure_in_process(
            [Scenario("faq_detail", "", "cache_off", f"/api/v1/faqs/{detail_slug}/")]
        )["faq_detail:cache_off"]["body_bytes"]

    servers = {}
    runs = []
    try:
        for name, cache in (("cache_off", "false"), ("cache_on", "true")):
            port = tools.free_port()
            env = {
                **base_env,
                **tools.production_env(
                    database=cfg.database, redis_url=cfg.redis_url, cache_prefix=cache_prefix, port=port
                ),
                "BAKEN_API_RESPONSE_CACHE": cache,
                "BENCH_CEILING_BYTES": str(detail_size),
            }
            servers[name] = tools.Server(
                name,
                port=port,
                env=env,
                settings=SETTINGS,
                workers=cfg.workers,
                log_path=log_dir / f"server-{name}-n{n}.log",
            ).start()
            log(f"  server {name}: port {port}, {len(servers[name].worker_pids())} workers")
        for scenario in sorted(scenarios, key=run_order):
            server = servers[SERVER_OF[scenario.server]]
            runs.append(
                run_scenario(
                    scenario,
                    server,
                    n,
                    cfg,
                    wrk,
                    in_process[scenario.key],
                    list(servers.values()),
                    words_file,
                )
            )
            runs[-1]["sequence"] = len(runs)  # the order the runs were made in
    finally:
        for server in servers.values():
            server.stop()
    position = {(scenario.name, scenario.server): index for index, scenario in enumerate(scenarios)}
    runs.sort(key=lambda run: position[run["scenario"], run["server"]])  # report in the logical order
    mixed_runs = []
    if n == cfg.main_n and cfg.mixed:
        for name in ("cache_on", "cache_off"):
            mixed_runs.append(mixed.measure(name, cfg, wrk, base_env, cache_prefix, log_dir, words_file, n))
    return runs, seeding, mixed_runs


def run_scenario(scenario, server, n, cfg, wrk, in_process, all_servers, words_file) -> dict:
    headers = {}
    status, response_headers, body = tools.fetch(server.port, scenario.path)
    if scenario.conditional:
        headers["If-None-Match"] = response_headers.get("etag", "")
        status, response_headers, body = tools.fetch(server.port, scenario.path, headers)
    url = f"http://{tools.LOCALHOST}:{server.port}{scenario.path}"
    common = {"duration": cfg.duration, "connections": cfg.connections, "threads": cfg.threads}
    common["timeout_seconds"] = cfg.timeout
    if scenario.mode:
        common["script"] = tools.BENCH_DIR / "search.lua"
        common["script_args"] = (str(words_file), scenario.mode, str(cfg.search_seed))
    idle_wait = tools.wait_for_idle(all_servers)
    if cfg.warmup:
        warmup = {**common, "duration": cfg.warmup}
        if scenario.mode:  # other words than the measured run's (same generator, another seed)
            warmup["script_args"] = (str(words_file), scenario.mode, str(cfg.search_seed + 1000))
        tools.run_wrk(wrk, url, **warmup, headers=headers)
        idle_wait += tools.wait_for_idle(all_servers)
    busy_before, waited = tools.wait_for_quiet(cfg.quiet_wait, cfg.quiet_below)
    with tools.RunMonitor(server) as monitor:
        report = tools.run_wrk(wrk, url, **common, headers=headers)
    requests = report["requests"]
    seconds = report["duration_us"] / 1e6
    latency = report["latency_us"]
    run = {
        "n": n,
        "scenario": scenario.name,
        "label": scenario.label,
        "server": scenario.server,
        "cache": {"cache_off": "off", "cache_on": "on"}.get(scenario.server, "n/a"),
        "path": scenario.path,
        "request_headers": headers,
        "expected_status": scenario.expected,
        "probe_status": status,
        "body_bytes": len(body),
        "in_process": in_process,
        "queries": in_process["queries"],
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0,
        "latency_ms": {key: round(value / 1000, 2) for key, value in latency.items()},
        "errors": report["errors"],
        "error_total": tools.error_count(report),
        "statuses": report.get("statuses"),
        "zero_results": report.get("zero_results"),
        "search_mode": scenario.mode,
        "bytes_per_response": round(report["bytes"] / requests) if requests else 0,
        "memory": monitor.as_dict(),
        "cpu": monitor.cpu,
        "cpu_ms_per_request": round(1000 * sum(monitor.cpu_seconds.values()) / requests, 2)
        if requests
        else None,
        "machine_busy_before_pct": busy_before,
        "waited_for_quiet_s": waited,
        "waited_for_idle_servers_s": idle_wait,
        "workers": len(server.worker_pids()),
    }
    latency_ms = run["latency_ms"]
    log(
        f"  {scenario.label[:34]:<34} {scenario.server:<9} {run['rps']:>8.1f} req/s"
        f"  p50 {latency_ms['p50']:>7.2f}  p99 {latency_ms['p99']:>7.2f} ms  err {run['error_total']}"
        f"  q {run['queries']}  {run['body_bytes']} B  worker {run['memory']['peak_worker_rss_mib']} MiB"
        f"  other load {monitor.cpu['other_load_pct']}%"
        + ("" if status == scenario.expected else f"  !! status {status}, expected {scenario.expected}")
    )
    return run


# --- targets and reports -------------------------------------------------------------------------------


def find(runs, n, name, server):
    for run in runs:
        if run["n"] == n and run["scenario"] == name and run["server"] == server:
            return run
    return None


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


V2_OF = {
    "faq_list": "v2_faq_list",
    "faq_detail": "v2_faq_detail",
    "faq_detail_304": "v2_faq_detail",
    "search_random": "v2_search_random",
}
# Uncached Baken against Wagtail API v2 on the same content and run (req/s), at BENCH_N.
V2_TARGETS = (
    ("faq_list", "FAQ list", 8),
    ("faq_detail", "FAQ detail", 5),
    ("search_random", "search (random words)", 5),
)
SIZE_RATIO_LIMIT = 1.5  # a p50 or a peak RSS at the larger N against the smaller
MIXED_P99_LIMIT = 2  # readers' p99 next to the random-search client against alone


def add_ratios(runs) -> None:
    """req/s against Wagtail API v2 and the ceiling; and the same comparison by CPU time per request
    (server + PostgreSQL/Redis), which other load on the machine disturbs far less."""
    for run in runs:
        v2 = find(runs, run["n"], V2_OF.get(run["scenario"], ""), "v2")
        ceiling = find(runs, run["n"], "ceiling", "v2")
        run["x_v2"] = ratio(run["rps"], v2["rps"]) if v2 else None
        run["x_ceiling"] = ratio(run["rps"], ceiling["rps"]) if ceiling else None
        cpu = run["cpu_ms_per_request"]
        run["x_v2_by_cpu"] = ratio(v2["cpu_ms_per_request"], cpu) if v2 and cpu else None
        run["x_ceiling_by_cpu"] = ratio(ceiling["cpu_ms_per_request"], cpu) if ceiling and cpu else None


def evaluate(runs, cfg, mixed_runs=()) -> list[dict]:
    """Every target, PASS / FAIL / SKIP (None) with its value and the figures behind it."""
    targets = []

    def target(name, passed, value, detail="", *, pair=None, cpu_value=None, threshold=None):
        entry = {"target": name, "pass": passed, "value": value, "detail": detail}
        if pair is not None:
            # The same comparison by CPU time per request, and whether other load on the machine
            # during either run makes the req/s verdict doubtful.
            entry["by_cpu"] = cpu_value
            entry["pass_by_cpu"] = cpu_value is not None and cpu_value >= threshold
            loads = [run["cpu"]["other_load_pct"] for run in pair if run]
            entry["other_load_pct"] = loads
            entry["noisy"] = any(load > 10 for load in loads)
        targets.append(entry)

    def rps(run):
        return run["rps"] if run else None

    n = cfg.main_n
    for scenario, label, threshold in V2_TARGETS:
        ours, v2 = find(runs, n, scenario, "cache_off"), find(runs, n, V2_OF[scenario], "v2")
        value = ratio(rps(ours), rps(v2))
        target(
            f"uncached {label} ≥ {threshold}× Wagtail API v2 req/s (N={n})",
            value is not None and value >= threshold,
            value,
            f"{rps(ours)} vs {rps(v2)} req/s; by CPU time per request "
            f"{_fmt(ours and ours['x_v2_by_cpu'], 2)}×",
            pair=(ours, v2),
            cpu_value=ours and ours["x_v2_by_cpu"],
            threshold=threshold,
        )
    ceiling = find(runs, n, "ceiling", "v2")
    for scenario in ("faq_list", "faq_detail", "helplines", "search", "faq_detail_304"):
        ours = find(runs, n, scenario, "cache_on")
        value = ratio(rps(ours), rps(ceiling))
        kind = "304" if scenario.endswith("304") else "200"
        target(
            f"cached {kind} {scenario} ≥ 0.8× ceiling req/s (N={n})",
            value is not None and value >= 0.8,
            value,
            f"{rps(ours)} vs {rps(ceiling)} req/s; by CPU time per request "
            f"{_fmt(ours and ours['x_ceiling_by_cpu'], 2)}×",
            pair=(ours, ceiling),
            cpu_value=ours and ours["x_ceiling_by_cpu"],
            threshold=0.8,
        )
    errors = sum(run["error_total"] for run in runs)
    problems = [
        f"{run['label']} ({run['cache']}, N={run['n']}): status {run['probe_status']}"
        for run in runs
        if run["probe_status"] != run["expected_status"]
    ]
    problems += [
        f"{run['label']} ({run['cache']}, N={run['n']}): no request completed in {cfg.duration} s"
        for run in runs
        if run["requests"] == 0
    ]
    problems += [
        f"{run['label']} ({run['cache']}, N={run['n']}): {run['error_total']} errors {run['errors']}"
        for run in runs
        if run["error_total"]
    ]
    for entry in mixed_runs:
        for part in ("readers_alone", "readers_with_attacker", "attacker"):
            summary = entry[part]
            errors += summary["error_total"]
            if summary["error_total"]:
                problems.append(
                    f"mixed load (cache {entry['cache']}), {part}: {summary['socket_errors']} socket errors, "
                    f"statuses {summary['bad_statuses']}"
                )
    target(
        "0 errors (non-2xx/3xx, socket errors and timeouts; every run completes requests with the "
        "expected status)",
        not problems,
        errors,
        "; ".join(problems)
        or f"{sum(run['requests'] for run in runs) + mixed_requests(mixed_runs):,} requests"
        + (" (the mixed load's attacker's 429s are expected, not errors)" if mixed_runs else ""),
    )
    v1 = ("faq_list", "faq_detail", "faq_detail_304", "helplines", "search")
    for server, limit, label in (
        ("cache_off", 6, "≤ 6 queries per uncached request"),
        ("cache_on", 0, "0 queries per cached request"),
    ):
        counts = {name: find(runs, n, name, server)["queries"] for name in v1 if find(runs, n, name, server)}
        worst = max(counts.values()) if counts else None
        target(
            f"{label} (N={n})",
            worst is not None and worst <= limit,
            worst,
            ", ".join(f"{name} {count}" for name, count in counts.items()),
        )
    size_targets(runs, cfg, target)
    mixed_targets(mixed_runs, target)
    return targets


def mixed_requests(mixed_runs) -> int:
    return sum(
        entry[part]["requests"]
        for entry in mixed_runs
        for part in ("readers_alone", "readers_with_attacker", "attacker")
    )


def p50_ratio_target(target, runs, name, label, small, large) -> None:
    """``name``'s uncached p50 at ``large`` ≤ SIZE_RATIO_LIMIT × at ``small`` (skipped without both)."""
    a, b = find(runs, small, name, "cache_off"), find(runs, large, name, "cache_off")
    if small == large or not a or not b:
        target(f"uncached {label} p50 at the larger N ≤ {SIZE_RATIO_LIMIT}× at the smaller N", None, None,
               "needs two sizes: skipped")  # fmt: skip
        return
    value = ratio(b["latency_ms"]["p50"], a["latency_ms"]["p50"])
    target(
        f"uncached {label} p50 at N={large} ≤ {SIZE_RATIO_LIMIT}× at N={small}",
        value is not None and value <= SIZE_RATIO_LIMIT,
        value,
        f"{b['latency_ms']['p50']} vs {a['latency_ms']['p50']} ms; CPU time per request "
        f"{b['cpu_ms_per_request']} vs {a['cpu_ms_per_request']} ms",
    )


def peak_worker_rss(runs, n) -> float | None:
    """The largest gunicorn worker during any run at ``n`` (both servers; the uncached random
    search, run last on the cache-off server, is usually the largest)."""
    sizes = [run["memory"]["peak_worker_rss_mib"] for run in runs if run["n"] == n]
    return max(sizes) if sizes else None


def size_targets(runs, cfg, target) -> None:
    """How cost and memory grow with N: list p50 and peak worker RSS from the smallest to the
    largest size; search p50 from BENCH_N to the largest size."""
    small, large = cfg.sizes[0], cfg.sizes[-1]
    p50_ratio_target(target, runs, "faq_list", "FAQ list", small, large)
    p50_ratio_target(target, runs, "search_random", "search (random words)", cfg.main_n, large)
    a, b = peak_worker_rss(runs, small), peak_worker_rss(runs, large)
    if small == large or a is None or b is None:
        target(f"peak worker RSS at the largest N ≤ {SIZE_RATIO_LIMIT}× at the smallest N", None, None,
               "needs two sizes: skipped")  # fmt: skip
        return
    value = ratio(b, a)
    target(
        f"peak worker RSS at N={large} ≤ {SIZE_RATIO_LIMIT}× at N={small} (largest worker, any run)",
        value is not None and value <= SIZE_RATIO_LIMIT,
        value,
        f"{b} vs {a} MiB",
    )


def _statuses(counts: dict) -> str:
    """``{200: 120, 429: 2114}`` (keys are strings once read back from the JSON) as "200: 120, 429: 2,114"."""
    return ", ".join(f"{code}: {count:,}" for code, count in sorted((int(k), v) for k, v in counts.items()))


def mixed_targets(mixed_runs, target) -> None:
    """Per mixed-load server: readers' p99 next to the random-search client ≤ MIXED_P99_LIMIT × alone,
    and the largest worker's growth under the flood within mixed.FLOOD_BOUND_MIB."""
    if not mixed_runs:
        target("mixed load: readers' p99 with a random-search client", None, None, "BENCH_MIXED=0: skipped")
        return
    for entry in mixed_runs:
        alone, loaded, attacker = entry["readers_alone"], entry["readers_with_attacker"], entry["attacker"]
        value = entry["p99_ratio"]
        target(
            f"readers' p99 with a random-search client ≤ {MIXED_P99_LIMIT}× without "
            f"(cache {entry['cache']}, N={entry['n']})",
            value is not None and value <= MIXED_P99_LIMIT,
            value,
            f"{loaded['latency_ms']['p99']} vs {alone['latency_ms']['p99']} ms; readers "
            f"{loaded['rps']} vs {alone['rps']} req/s; attacker {attacker['rps']} req/s "
            f"({_fmt(100 * (entry['attacker_share'] or 0))} % of requests), statuses "
            f"{_statuses(attacker['statuses'])}",
        )
    for entry in mixed_runs:
        before = entry["memory_alone"]["peak_worker_rss_mib"]
        after = entry["memory_with_attacker"]["peak_worker_rss_mib"]
        growth = round(after - before, 1)
        target(
            f"worker RSS growth under the flood of distinct query strings and headers ≤ "
            f"{mixed.FLOOD_BOUND_MIB} MiB (cache {entry['cache']})",
            growth <= mixed.FLOOD_BOUND_MIB,
            growth,
            f"largest worker {before} → {after} MiB; {entry['attacker']['requests']:,} attacker requests",
        )


def _fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def markdown(result: dict) -> str:
    cfg, runs = result["config"], result["runs"]
    machine = result["machine"]
    lines = [
        f"# Baken benchmark — {result['started_at']}",
        "",
        f"Command: `{result['command']}`  ",
        f"Machine: {machine['cpu']} ({machine['cores']} cores), {machine['memory']} RAM, {machine['os']}, "
        f"Python {machine['python']}, {machine['postgresql']}, {machine['redis']}, "
        f"{machine.get('wrk', '')}  ",
        f"Load: wrk, {cfg['connections']} connections, {cfg['threads']} threads, {cfg['duration_s']} s per "
        f"scenario after {cfg['warmup_s']} s warm-up; gunicorn "
        f"{'/'.join(map(str, result['workers_per_server']))} workers per server (baken/gunicorn_conf.py); "
        "all on 127.0.0.1.  ",
        f"Data: N FAQ pages per locale × {len(cfg['locales'])} locales ({', '.join(cfg['locales'])}), "
        "8 questions each, plus the demo content.",
        "",
        "Columns: *queries/req* and *1 request ms* measured in-process on one steady-state request "
        "(no concurrency); *CPU ms/req* the CPU time the server, PostgreSQL and Redis spent per "
        "request during the run; *peak worker RSS* the largest gunicorn worker during the run; "
        "*× v2* req/s against Wagtail API v2's list or detail; *× ceiling* req/s against "
        "precomputed bytes of the FAQ detail's size; *by CPU* the same comparisons by CPU time per "
        "request, which other load on the machine disturbs far less; *other load %* the machine's "
        "CPU used during the run by processes outside the benchmark (other jobs), as a share of all "
        "cores — runs with more than 10 % give lower, noisier req/s.",
        "",
        f"## All scenarios at N = {cfg['main_n']}",
        "",
        "| scenario | cache | req/s | p50 ms | p99 ms | errors | queries/req | body bytes | 1 request ms "
        "| CPU ms/req | peak worker RSS MiB | × v2 | × ceiling | × v2 by CPU | × ceiling by CPU "
        "| other load % |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
    ]
    for run in runs:
        if run["n"] != cfg["main_n"]:
            continue
        lines.append(
            f"| {run['label']} | {run['cache']} | {_fmt(run['rps'])} | {_fmt(run['latency_ms']['p50'], 2)} "
            f"| {_fmt(run['latency_ms']['p99'], 2)} | {run['error_total']} | {run['queries']} "
            f"| {_fmt(run['body_bytes'])} | {_fmt(run['in_process']['service_ms'], 2)} "
            f"| {_fmt(run['cpu_ms_per_request'], 2)} | {_fmt(run['memory']['peak_worker_rss_mib'])} "
            f"| {_fmt(run['x_v2'], 2)} | {_fmt(run['x_ceiling'], 2)} | {_fmt(run['x_v2_by_cpu'], 2)} "
            f"| {_fmt(run['x_ceiling_by_cpu'], 2)} | {_fmt(run['cpu']['other_load_pct'])} |"
        )
    lines += [
        "",
        "## FAQ list by size",
        "",
        "| N per locale | uncached req/s | p50 ms | p99 ms | CPU ms/req | peak worker RSS MiB "
        "| cached req/s | p50 ms | v2 req/s | v2 p50 ms | ceiling req/s | other load % | seeding s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    seeding = {entry["per_locale"]: entry for entry in result["seeding"]}
    for n in cfg["sizes_per_locale"]:
        off, on = find(runs, n, "faq_list", "cache_off"), find(runs, n, "faq_list", "cache_on")
        v2, ceiling = find(runs, n, "v2_faq_list", "v2"), find(runs, n, "ceiling", "v2")
        if not off:
            continue
        lines.append(
            f"| {n:,} | {_fmt(off['rps'])} | {_fmt(off['latency_ms']['p50'], 2)} "
            f"| {_fmt(off['latency_ms']['p99'], 2)} | {_fmt(off['cpu_ms_per_request'], 2)} "
            f"| {_fmt(off['memory']['peak_worker_rss_mib'])} "
            f"| {_fmt(on and on['rps'])} | {_fmt(on and on['latency_ms']['p50'], 2)} "
            f"| {_fmt(v2 and v2['rps'])} | {_fmt(v2 and v2['latency_ms']['p50'], 2)} "
            f"| {_fmt(ceiling and ceiling['rps'])} | {_fmt(off['cpu']['other_load_pct'])} "
            f"| {_fmt(seeding.get(n, {}).get('seconds'))} |"
        )
    lines += search_and_detail_table(result)
    lines += mixed_table(result)
    code = result["code"]
    lines += [
        "",
        f"Code: commit {code['commit'][:12]} with {len(code['changed_files'])} changed/new files "
        f"(sources sha256 {code['sources_sha256'][:12]})."
        + (
            " **The code changed while the benchmark ran**: sizes measured later ran newer code."
            if code["changed_during_run"]
            else ""
        ),
    ]
    noisy = [run for run in runs if run["cpu"].get("other_load_pct", 0) > 10]
    if noisy:
        lines += [
            "",
            f"**Note:** {len(noisy)} of {len(runs)} runs shared the machine with other load above 10 % "
            f"(up to {max(run['cpu']['other_load_pct'] for run in noisy)} %); their figures are lower "
            "and noisier than on a quiet machine.",
        ]
    lines += ["", "## Targets", ""]
    for entry in result["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "SKIP"}[entry["pass"]]
        caveat = ""
        if entry.get("noisy") and entry["pass_by_cpu"] != entry["pass"]:
            loads = " / ".join(f"{load} %" for load in entry["other_load_pct"])
            caveat = (
                f" — **doubtful**: by CPU time per request it would "
                f"{'PASS' if entry['pass_by_cpu'] else 'FAIL'} (other load during the runs {loads})"
            )
        lines.append(
            f"* **{verdict}** {entry['target']}: {_fmt(entry['value'], 2)} ({entry['detail']}){caveat}"
        )
    lines += [
        "",
        "Seeding (pages created, seconds): "
        + ", ".join(
            f"N={entry['per_locale']:,}: {entry['created']:,} in {entry['seconds']} s"
            for entry in result["seeding"]
        ),
        "",
    ]
    return "\n".join(lines)


def _pct(part, whole) -> str:
    return f"{100 * part / whole:.1f}" if part is not None and whole else "–"


def search_and_detail_table(result: dict) -> list[str]:
    """Uncached random-word search and FAQ detail against Wagtail API v2, at every size."""
    runs, cfg = result["runs"], result["config"]
    lines = [
        "",
        "## Uncached search (random words) and FAQ detail by size",
        "",
        "| N per locale | search req/s | p50 ms | p99 ms | CPU ms/req | zero results % "
        "| v2 search req/s | v2 p50 ms | v2 p99 ms | v2 CPU ms/req | v2 zero results % | search × v2 "
        "| detail req/s | detail p50 ms | v2 detail req/s | detail × v2 | peak worker RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for n in cfg["sizes_per_locale"]:
        ours, v2 = find(runs, n, "search_random", "cache_off"), find(runs, n, "v2_search_random", "v2")
        detail, v2_detail = find(runs, n, "faq_detail", "cache_off"), find(runs, n, "v2_faq_detail", "v2")
        if not ours:
            continue

        def cells(run):
            if not run:
                return ["–"] * 5
            return [
                _fmt(run["rps"]),
                _fmt(run["latency_ms"]["p50"], 2),
                _fmt(run["latency_ms"]["p99"], 2),
                _fmt(run["cpu_ms_per_request"], 2),
                _pct(run.get("zero_results"), (run.get("statuses") or {}).get("200")),
            ]

        lines.append(
            "| "
            + " | ".join(
                [
                    f"{n:,}",
                    *cells(ours),
                    *cells(v2),
                    _fmt(ours.get("x_v2"), 2),
                    _fmt(detail and detail["rps"]),
                    _fmt(detail and detail["latency_ms"]["p50"], 2),
                    _fmt(v2_detail and v2_detail["rps"]),
                    _fmt(detail and detail.get("x_v2"), 2),
                    _fmt(peak_worker_rss(runs, n)),
                ]
            )
            + " |"
        )
    vocabulary = result.get("vocabulary")
    if vocabulary:
        per_locale = "; ".join(
            f"{code}: {entry['kept']} of {entry['probed']} kept (v2 finds nothing for {entry['v2_zero']}, "
            f"v1 for {entry['v1_zero']})"
            for code, entry in vocabulary["per_locale"].items()
        )
        lines += [
            "",
            "Words: one or two per request from the seeded vocabulary (words of ≥ 3 characters, folded), "
            "the same sequence per wrk thread for Baken and v2; only words both find something for were "
            f"kept ({per_locale}; v2 found nothing for {_fmt(100 * (vocabulary['v2_zero_share'] or 0))} % "
            "of the words probed: on PostgreSQL it parses queries as English while pages are indexed in "
            "their own language).",
        ]
    return lines


def mixed_table(result: dict) -> list[str]:
    """Readers alone against readers next to the random-search client, per server."""
    entries = result.get("mixed") or []
    if not entries:
        return []
    lines = [
        "",
        f"## Mixed load at N = {entries[0]['n']}: readers with and without a random-search client",
        "",
        "| cache | readers alone req/s | p50 ms | p99 ms | with attacker req/s | p50 ms | p99 ms | p99 × "
        "| attacker req/s | attacker share % | attacker 200 | attacker 429 | reader errors "
        "| attacker errors | peak worker RSS MiB alone → with |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- |",
    ]
    for entry in entries:
        alone, loaded, attacker = entry["readers_alone"], entry["readers_with_attacker"], entry["attacker"]
        statuses = {int(code): count for code, count in attacker["statuses"].items()}
        lines.append(
            f"| {entry['cache']} | {_fmt(alone['rps'])} | {_fmt(alone['latency_ms']['p50'], 2)} "
            f"| {_fmt(alone['latency_ms']['p99'], 2)} | {_fmt(loaded['rps'])} "
            f"| {_fmt(loaded['latency_ms']['p50'], 2)} | {_fmt(loaded['latency_ms']['p99'], 2)} "
            f"| {_fmt(entry['p99_ratio'], 2)} | {_fmt(attacker['rps'])} "
            f"| {_fmt(100 * (entry['attacker_share'] or 0))} | {_fmt(statuses.get(200, 0))} "
            f"| {_fmt(statuses.get(429, 0))} | {alone['error_total'] + loaded['error_total']} "
            f"| {attacker['error_total']} | {entry['memory_alone']['peak_worker_rss_mib']} → "
            f"{entry['memory_with_attacker']['peak_worker_rss_mib']} |"
        )
    first = entries[0]
    lines += [
        "",
        f"Readers: `bench/mix.lua`'s rotation at {result['config']['connections']} connections from "
        f"{first['reader_addresses']:,} client addresses; attacker: one address, "
        f"{first['attacker_connections']} connections, random words, non-words and Accept-Language, paced "
        f"({first['attacker_pause_ms']} ms between requests per connection on the first server) to "
        f"{_fmt(100 * first['attacker_target_share'])} % of the readers' rate alone; anonymous rate limit "
        f"{first['rate_limit_anonymous']} (units/seconds; a search costs 5); "
        f"{first['duration_s']} s per run.",
    ]
    return lines


# --- main ----------------------------------------------------------------------------------------------


def main() -> int:
    cfg = Config()
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    log(
        f"== Baken benchmark {stamp}: sizes {cfg.sizes} per locale, main N={cfg.main_n}, "
        f"{cfg.duration} s per scenario"
    )
    wrk = tools.ensure_wrk()
    cache_prefix = f"baken-bench-{stamp}-{os.getpid()}"
    log_dir = Path(tempfile.mkdtemp(prefix=f"baken-bench-{stamp}-"))
    base_env = {"DJANGO_LOG_LEVEL": "WARNING"}

    created = tools.prepare_database(cfg.database, fresh=not cfg.reuse_db)
    log(
        f"== database {cfg.database}: {'created' if created else 'reused'}; "
        f"Redis {cfg.redis_url}, key prefix {cache_prefix}"
    )
    os.environ.update(
        tools.production_env(
            database=cfg.database, redis_url=cfg.redis_url, cache_prefix=cache_prefix, port=8000
        )
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.core.management import call_command

    from bench import seed
    from cms.demo.loader import load_demo_content

    code_before = tools.code_state()
    runs, seedings, mixed_runs, state = [], [], [], {}
    try:
        t0 = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        load_demo_content(log=lambda message: None)
        call_command("collectstatic", interactive=False, verbosity=0)
        log(f"== migrated, demo content and static files ready in {time.monotonic() - t0:.1f} s")
        for n in cfg.sizes:
            existing = seed.seeded_count("nl")
            if existing > n:
                log(f"!! skipping N={n}: the reused database already has {existing} pages per locale")
                continue
            size_runs, seeding, size_mixed = run_size(n, cfg, wrk, base_env, cache_prefix, log_dir, state)
            runs += size_runs
            mixed_runs += size_mixed
            seedings.append(seeding)
    finally:
        deleted = tools.delete_cache_keys(cfg.redis_url, cache_prefix)
        log(f"== removed {deleted} cache keys with prefix {cache_prefix}; server logs in {log_dir}")
        if cfg.drop_db:
            from django.db import connections

            connections.close_all()
            tools.drop_database(cfg.database)

    add_ratios(runs)
    code_after = tools.code_state()
    result = {
        "code": {
            **code_before,
            "changed_during_run": code_after["sources_sha256"] != code_before["sources_sha256"],
        },
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "command": command_line(),
        "machine": tools.machine_info(wrk),
        "config": cfg.as_dict(),
        "workers_per_server": sorted({run["workers"] for run in runs}),
        "seeding": seedings,
        "vocabulary": state.get("vocabulary"),
        "runs": runs,
        "mixed": mixed_runs,
    }
    result["targets"] = evaluate(runs, cfg, mixed_runs)
    tools.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = tools.RESULTS_DIR / f"{stamp}.json"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    summary = markdown(result)
    (tools.RESULTS_DIR / "latest.md").write_text(summary)
    log("\n" + summary)
    log(f"Results: {json_path.relative_to(tools.ROOT)} and bench/results/latest.md")
    failed = [entry for entry in result["targets"] if entry["pass"] is False]
    log(f"{len(result['targets']) - len(failed)} of {len(result['targets'])} targets met.")
    return 1 if failed and cfg.strict else 0


def rereport(path: Path) -> int:
    """``python -m bench.run --report bench/results/<timestamp>.json``: targets and latest.md again
    from a saved run (e.g. after changing the report), without measuring anything."""
    result = json.loads(path.read_text())
    config = result["config"]
    cfg = Config()
    cfg.main_n, cfg.sizes, cfg.duration = config["main_n"], config["sizes_per_locale"], config["duration_s"]
    add_ratios(result["runs"])
    result["targets"] = evaluate(result["runs"], cfg, result.get("mixed") or [])
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    summary = markdown(result)
    (tools.RESULTS_DIR / "latest.md").write_text(summary)
    log(summary)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--report"]:
        sys.exit(rereport(Path(sys.argv[2])))
    tools.run_command(main, failure="make bench: the benchmark could not run (see above).")
