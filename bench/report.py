"""Query counts per page (in-process, same database) and the markdown report of bench/run.py."""

import os
import platform
import re
import subprocess
import time
from importlib.metadata import version

MINIMAL = "minimal Django view"
ANON_BARE = "portal healthz, anonymous"
LOGGED_BARE = "portal healthz, logged in"
BASELINES = (MINIMAL, ANON_BARE, LOGGED_BARE)
TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}


def count_queries(pages, tenant_slug):
    """Queries (and their database time) of one request to each page, by the test client with the
    same settings and database as the server; the second request is counted, after warm-up."""
    import generate
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(email=generate.BENCH_EMAIL)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    citizen = Client(HTTP_HOST="127.0.0.1")
    citizen.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = citizen.post(f"/{tenant_slug}/readings/", {"code": generate.SMALL_CODE})
    if response.status_code != 302:
        raise SystemExit(f"the W1 start page refused the bench code ({response.status_code})")
    counts = {}
    for name, path, logged_in in pages:
        client = citizen if logged_in else anonymous
        client.get(path)
        timings = []
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(Timer(timings)):
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in-process")
        # CaptureQueriesContext has the SQL with its parameters (for EXPLAIN) but rounds times to 1 ms.
        # BEGIN/COMMIT are counted (as assertNumQueries does) but bypass execute wrappers: no time.
        timed = iter(timings)
        sql = [(None if q["sql"] in TRANSACTION else next(timed), q["sql"]) for q in captured.captured_queries]
        counts[name] = {"queries": len(sql), "db_ms": sum(timings), "sql": sql}
    return counts


def csv_export_rate(path, tenant_slug, limit=1_000_000):
    """Rows/s of the archive CSV export, streamed through the test client in-process (DB included),
    over its first ``limit`` rows."""
    import generate
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=generate.BENCH_EMAIL))
    started = time.perf_counter()
    cpu = time.process_time()
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in-process")
    rows = -1  # the header
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        if rows >= limit:
            break
    response.close()
    elapsed = time.perf_counter() - started
    return {"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed, "cpu_s": time.process_time() - cpu}


class Timer:
    """Database time of each query in ms, to the microsecond."""

    def __init__(self, timings):
        self.timings = timings

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((time.perf_counter() - started) * 1000)


def explain(sql):
    from django.db import connection

    if connection.vendor != "postgresql":
        return ["(EXPLAIN ANALYZE only on PostgreSQL)"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


def environment():
    from django.db import connection

    from meters.models import Meter, Reading, SubscriberAccount

    memory = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), "?")
    server, reading_size = connection.vendor, "?"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('meters_reading'))")
            reading_size = cursor.fetchone()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {
        "machine": f"{os.cpu_count()} CPUs ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB RAM",
        "database": server,
        "software": f"Python {platform.python_version()}, Django {version('django')}, gunicorn {version('gunicorn')}",
        "commit": commit,
        "data": f"{SubscriberAccount.objects.count():,} accounts, {Meter.objects.count():,} meters, "
        f"{Reading.objects.count():,} readings (meters_reading with indexes: {reading_size})",
    }


GOALS = [
    # (page, baseline, least ratio): issue #12, goal 1
    (ANON_BARE, MINIMAL, 0.5),
    (LOGGED_BARE, ANON_BARE, 0.6),
    ("W1 readings form, 2 meters", LOGGED_BARE, 0.5),
    ("account page, 2 meters", LOGGED_BARE, 0.5),
    ("account page, 50 meters", LOGGED_BARE, 0.5),
    ("cabinet readings page, 2 meters", LOGGED_BARE, 0.5),
    ("archive, first page", LOGGED_BARE, 0.5),
    ("archive, deep page", LOGGED_BARE, 0.5),
    ("My applications, 30", LOGGED_BARE, 0.5),
]


def render(rows, args, stamp, csv_rate):
    by_name = {row["name"]: row for row in rows}
    minimal, anon, logged = by_name.get(MINIMAL), by_name[ANON_BARE], by_name[LOGGED_BARE]
    env = environment()
    lines = [
        f"# Bench run {stamp}",
        "",
        *(f"- {key}: {value}" for key, value in env.items()),
        f"- servers: gunicorn -w {args.workers} (sync) for the portal (DEBUG off, SECURE_SSL=0, cache "
        f"{'Redis' if args.redis_url else 'locmem'}, cached_db sessions) and for bench/minimal",
        f"- load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, {args.rounds} rounds "
        f"round-robin over the pages (a {args.warmup} s warm-up run first), 127.0.0.1; medians of the rounds",
        f"- machine load: {args.load}",
        "",
        "| page | req/s (min–max) | ÷ minimal | ÷ healthz anon | ÷ healthz logged in | p50 ms | p99 ms "
        "| worker CPU ms/req | worker RSS MB | queries | DB ms | HTML KB | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        low, high = row["rps_range"]
        cells = [
            row["name"],
            f"{row['rps']:.0f} ({low:.0f}–{high:.0f})",
            f"{row['rps'] / minimal['rps']:.2f}" if minimal else "—",
            f"{row['rps'] / anon['rps']:.2f}",
            f"{row['rps'] / logged['rps']:.2f}",
            f"{row['p50']:.1f}",
            f"{row['p99']:.1f}",
            f"{row['cpu_ms']:.2f}",
            f"{row['rss_mb']:.0f}",
            str(row["queries"]),
            f"{row['db_ms']:.1f}",
            f"{row['bytes'] / 1024:.1f}",
            row["errors"] or "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Queries and DB ms: one request in-process (test client, same settings and database), after one warm-up.",
        "Worker CPU: user + system time of the gunicorn workers during the measured run ÷ its requests.",
        "",
        (
            f"Archive CSV export (in-process, streamed): {csv_rate['rows']:,} rows in {csv_rate['seconds']:.2f} s = "
            f"**{csv_rate['rows_per_s']:,.0f} rows/s** ({csv_rate['cpu_s']:.2f} s CPU in Python; goal ≥ 100,000 rows/s)"
            if csv_rate
            else "Archive CSV export: not measured in this run."
        ),
        "",
        "## Goals (issue #12)",
        "",
        "Ratio by req/s as measured, and by worker CPU per request (baseline's CPU ÷ page's CPU: what the",
        "req/s ratio would be with the two cores to ourselves; on a shared machine the req/s of a page that",
        "waits on PostgreSQL or Redis drops further: each round trip waits for those processes to be scheduled).",
        "",
        "| page | ÷ | req/s ratio | CPU ratio | goal | p99 ms (goal < 100) | met (req/s, p99) |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for page, baseline, least in GOALS:
        if page not in by_name or baseline not in by_name:
            continue
        ratio = by_name[page]["rps"] / by_name[baseline]["rps"]
        cpu_ratio = by_name[baseline]["cpu_ms"] / max(by_name[page]["cpu_ms"], 1e-9)
        p99 = by_name[page]["p99"]
        met = "yes" if ratio >= least and p99 < 100 else "**no**"
        lines.append(f"| {page} | {baseline} | {ratio:.2f} | {cpu_ratio:.2f} | ≥ {least} | {p99:.1f} | {met} |")
    lines.append("")
    for row in rows:
        lines += [f"## {row['name']} — {row['path']}", ""]
        lines += [f"- {'' if ms is None else f'{ms:.2f} ms: '}`{shorten(sql)}`" for ms, sql in row["sql"]]
        lines.append("")
        for ms, sql in row["sql"]:
            if "meters_reading" in sql and sql.lstrip().upper().startswith("SELECT"):
                plan = explain(sql)
                lines += [f"EXPLAIN (ANALYZE, BUFFERS) of the {ms:.2f} ms readings query:", "", "```", *plan, "```", ""]
    return "\n".join(lines) + "\n"


def shorten(sql, limit=240):
    """The statement without its outer column list (subqueries in it included), cut to ``limit``."""
    sql = re.sub(r"\s+", " ", sql)
    if sql.startswith("SELECT "):
        depth = 0
        for i, char in enumerate(sql):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0 and sql.startswith(" FROM ", i):
                sql = "SELECT …" + sql[i:]
                break
    return sql if len(sql) <= limit else sql[:limit] + " …"
