"""The load test of issue 12: N staff saving progress entries at once against gunicorn, on loopback.

Usage (`make loadtest` runs it with the defaults):

    .venv/bin/python bench/loadtest/run.py [--users 50] [--duration 60] [--wait 3,10] [--workers 2]

It uses the throwaway database LOADTEST_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/coopportal_loadtest; created if missing) and the Redis of REDIS_URL
(default redis://127.0.0.1:6379/0; only /healthz touches it), then:

1. migrates it, collects the static files and seeds it (bench/loadtest/seed.py): one programme in force
   whose parties are --users departments, each with a staff member and a draft report of --commitments
   entries;
2. starts gunicorn as production does (coopportal/gunicorn_conf.py: --workers worker processes of
   GUNICORN_THREADS threads; DEBUG off, a real SECRET_KEY, persistent database connections) on a free
   loopback port, as if behind the TLS proxy (X-Forwarded-Proto: https);
3. signs every staff member in through the login form and opens their report's edit page, one after the
   other (password hashing is deliberately slow: 50 logins at once would be a test of the login, not of
   saving), and times both;
4. runs locust headless (bench/loadtest/locustfile.py) for --duration seconds: --users staff saving
   with --wait seconds between two saves of one person, and one floor probe (GET /healthz every second);
5. stops gunicorn and checks the database: every save the server acknowledged has its revision (same
   version, same text) and the entry holds its last acknowledged text; each entry has as many audit
   entries as revisions.

It prints p50/p95/p99/max of the saves and of the floor, the throughput, the ratio to the floor and
the CPU time gunicorn's workers spent per request, and writes them to var/loadtest/summary.json.  The
exit status is 1 on any 5xx, any failed or lost save, or a p95 of the saves above --max-p95 seconds
(0 turns that check off).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

import psycopg2  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest.pages import Browser, form_fields  # noqa: E402 - after the path above

# gunicorn, locust and manage.py from the venv of the Python that runs this script (`make loadtest`: .venv), so
# that one checkout can compare two interpreters (docs/benchmarks.md, "Which Python").
VENV = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/coopportal_loadtest"
SAVE, FLOOR = "save entry", "floor /healthz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_database(url: str) -> None:
    import dj_database_url

    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432,
        password=config["PASSWORD"] or None,
    )  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    conn.close()


def production_env(database_url: str, redis_url: str, var: Path) -> dict[str, str]:
    """The environment of a production process (DEBUG off), on the load test's database."""
    keep = {
        k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "GUNICORN_CMD_ARGS")
    }
    return keep | {
        "DEBUG": "false",
        "SECRET_KEY": "loadtest-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "COOPPORTAL_VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation): the value that `fraction` of the samples do not exceed."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def figures(times_ms: list[float], seconds: float) -> dict[str, float]:
    return {
        "count": len(times_ms),
        "per_second": len(times_ms) / seconds,
        "p50": percentile(times_ms, 0.50),
        "p95": percentile(times_ms, 0.95),
        "p99": percentile(times_ms, 0.99),
        "max": max(times_ms),
        "mean": statistics.fmean(times_ms),
    }


def cpu_seconds(master: int) -> float:
    """User + system CPU time of gunicorn's worker processes so far (from /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children")
    for pid in children.read_text().split() if children.exists() else []:
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / ticks
    return total


def gunicorn_command(port: int, workers: int, threads: int | None = None, worker_class: str | None = None) -> list[str]:
    """gunicorn as production starts it (coopportal/gunicorn_conf.py), on a loopback port."""
    command = [str(VENV / "gunicorn"), "-c", "python:coopportal.gunicorn_conf", "coopportal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    if worker_class is not None:
        command += ["--worker-class", worker_class]
    return command


def start_gunicorn(command: list[str], env: dict[str, str], log: IO[bytes], base: str) -> subprocess.Popen[bytes]:
    """Started, and answering /healthz (SystemExit after a minute without an answer)."""
    web = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError):
            if Browser(base, timeout=5).get("/healthz").status == 200:
                return web
        if time.monotonic() > deadline or web.poll() is not None:
            stop_gunicorn(web)
            raise SystemExit(f"gunicorn did not answer /healthz; see {log.name}")
        time.sleep(0.2)


def stop_gunicorn(web: subprocess.Popen[bytes]) -> None:
    web.send_signal(signal.SIGTERM)
    try:
        web.wait(timeout=30)
    except subprocess.TimeoutExpired:
        web.kill()
        web.wait()


def check_database(database_url: str, acks: list[dict[str, Any]], entries: list[int]) -> dict[str, Any]:
    """Every acknowledged save is stored: its revision with the same text, and the entry's last text."""
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT entry_id, version, changes -> 'results' ->> 1 FROM reporting_entryrevision "
                "WHERE entry_id = ANY(%s)",
                [entries],
            )
            revisions = {(entry, version): text for entry, version, text in cursor.fetchall()}
            cursor.execute("SELECT id, version, results FROM reporting_progressentry WHERE id = ANY(%s)", [entries])
            rows = {pk: (version, results) for pk, version, results in cursor.fetchall()}
            cursor.execute(
                "SELECT object_id, count(*) FROM core_auditentry WHERE action = 'entry.saved' "
                "AND object_type = 'reporting.progressentry' AND object_id = ANY(%s) GROUP BY object_id",
                [entries],
            )
            audited = dict(cursor.fetchall())
    finally:
        conn.close()
    missing = [a for a in acks if revisions.get((a["entry"], a["version"])) != a["results"]]
    last: dict[int, dict[str, Any]] = {}
    for ack in acks:
        if ack["entry"] not in last or ack["version"] > last[ack["entry"]]["version"]:
            last[ack["entry"]] = ack
    overwritten = [a for a in last.values() if rows[a["entry"]] != (a["version"], a["results"])]
    per_entry: dict[int, int] = defaultdict(int)
    for entry, _version in revisions:
        per_entry[entry] += 1
    unaudited = [e for e, n in per_entry.items() if audited.get(e, 0) != n]
    return {
        "acknowledged": len(acks),
        "missing_revision": missing,
        "entry_not_at_last_ack": overwritten,
        "revisions_without_audit": unaudited,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of saving")
    parser.add_argument("--wait", default="3,10", help="min,max seconds between two saves of one person")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: gunicorn_conf)")
    parser.add_argument("--worker-class", default=None, help="gunicorn worker class (default: gunicorn_conf)")
    parser.add_argument("--commitments", type=int, default=10, help="entries in each staff member's report")
    parser.add_argument("--max-p95", type=float, default=1.0, help="fail above this p95 of a save, seconds")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "loadtest")
    args = parser.parse_args()

    database_url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = production_env(database_url, redis_url, out)
    python = str(VENV / "python")
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}", flush=True)

    ensure_database(database_url)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [python, "bench/loadtest/seed.py", "--users", str(args.users), "--commitments", str(args.commitments)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    data = json.loads(seeded.stdout.strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = gunicorn_command(port, args.workers, args.threads, args.worker_class)
    log = (out / "gunicorn.log").open("wb")
    web = start_gunicorn(command, env, log, base)
    try:
        sessions, login_times, page_times = [], [], []
        for account in data["users"]:
            browser = Browser(base)
            start = time.perf_counter()
            browser.login(account["username"], data["password"])
            login_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            page = browser.get(f"/reports/{account['report']}/edit/")
            page_times.append((time.perf_counter() - start) * 1000)
            assert page.status == 200, page.status
            forms = {entry: form_fields(page.text, f"entry-{entry}") for entry in account["entries"]}
            sessions.append(account | {"cookies": browser.cookies, "forms": forms})
        (out / "sessions.json").write_text(json.dumps(sessions))
        for stale in ("requests.json", "acks.json"):
            (out / stale).unlink(missing_ok=True)

        cpu_before, started = cpu_seconds(web.pid), time.time()
        locust = subprocess.run(
            [
                str(VENV / "locust"), "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"), "--headless",
                "-u", str(args.users + 1), "-r", str(args.users + 1), "-t", f"{args.duration}s",
                "--stop-timeout", "30", "--host", base, "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT, env=os.environ | {
                "LOADTEST_SESSIONS": str(out / "sessions.json"), "LOADTEST_OUT": str(out), "LOADTEST_WAIT": args.wait,
            },
            capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.time() - started
        cpu_used = cpu_seconds(web.pid) - cpu_before
    finally:
        stop_gunicorn(web)
        log.close()
    (out / "locust.log").write_text(locust.stdout + locust.stderr)
    load_after = os.getloadavg()

    requests = json.loads((out / "requests.json").read_text())
    acks = json.loads((out / "acks.json").read_text())
    by_name: dict[str, list[float]] = defaultdict(list)
    ends: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for at, name, ms, status in requests:
        by_name[name].append(ms)
        ends[name].append(at)
        statuses[name][status] += 1
    server_errors = sum(n for per in statuses.values() for status, n in per.items() if status >= 500 or status == 0)
    # Throughput over the span the requests were answered in (the first save comes after a typing time).
    saves = figures(by_name[SAVE], max(ends[SAVE]) - min(ends[SAVE]))
    floor = figures(by_name[FLOOR], max(ends[FLOOR]) - min(ends[FLOOR]))
    stored = check_database(database_url, acks, [e for account in data["users"] for e in account["entries"]])
    failed_saves = saves["count"] - len(acks)
    summary = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average_before": load_before,
        "load_average_after": load_after,
        "users": args.users,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        "wait_s": args.wait,
        "gunicorn": " ".join(command[1:]),
        "logins_ms": figures(login_times, sum(login_times) / 1000),
        "edit_pages_ms": figures(page_times, sum(page_times) / 1000),
        "saves_ms": saves,
        "floor_ms": floor,
        "ratio_p50": saves["p50"] / floor["p50"],
        "ratio_p95": saves["p95"] / floor["p95"],
        "statuses": {name: dict(per) for name, per in statuses.items()},
        "server_errors": server_errors,
        "failed_saves": failed_saves,
        "worker_cpu_ms_per_request": cpu_used * 1000 / max(1, len(requests)),
        "database": {k: v if isinstance(v, int) else len(v) for k, v in stored.items()},
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))

    print(f"gunicorn {summary['gunicorn']}")
    print(f"{args.users} staff, {args.duration} s, {args.wait} s between saves; load average after {load_after[0]:.2f}")
    print(
        f"before the run, one after the other: login median {statistics.median(login_times):.0f} ms, "
        f"edit page median {statistics.median(page_times):.0f} ms"
    )
    print("| request | count | per second | p50 | p95 | p99 | max |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, f in ((SAVE, saves), (FLOOR, floor)):
        print(
            f"| {name} | {f['count']} | {f['per_second']:.1f} | {f['p50']:.0f} ms | {f['p95']:.0f} ms "
            f"| {f['p99']:.0f} ms | {f['max']:.0f} ms |"
        )
    print(f"save / floor: p50 {summary['ratio_p50']:.1f}x, p95 {summary['ratio_p95']:.1f}x")
    print(f"gunicorn workers' CPU per request: {summary['worker_cpu_ms_per_request']:.1f} ms")
    print(f"status codes: {summary['statuses']}")
    print(f"database: {summary['database']}")

    problems = []
    if server_errors:
        problems.append(f"{server_errors} server errors (5xx or no answer)")
    if failed_saves:
        problems.append(f"{failed_saves} saves not acknowledged")
    if stored["missing_revision"] or stored["entry_not_at_last_ack"] or stored["revisions_without_audit"]:
        problems.append(f"acknowledged saves not in the database: {stored}")
    if args.max_p95 and saves["p95"] > args.max_p95 * 1000:
        problems.append(f"p95 of a save {saves['p95']:.0f} ms is above {args.max_p95 * 1000:.0f} ms")
    if locust.returncode not in (0, 1):  # 1: locust saw failures, counted above
        problems.append(f"locust exited with {locust.returncode}: see {out / 'locust.log'}")
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        target = f"p95 within {args.max_p95:g} s" if args.max_p95 else "p95 not checked (--max-p95 0)"
        print(f"OK: no server error, every acknowledged save is in the database, {target}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
