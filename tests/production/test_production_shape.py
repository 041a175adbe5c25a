"""The production shape, started natively (issue 12): gunicorn, a Celery worker and beat with DEBUG off.

What docker-compose runs, without Docker: `gunicorn -c python:coopportal.gunicorn_conf` (2 workers),
`celery worker --concurrency=2` (prefork) and `celery beat` with the database scheduler, all with the
production settings (DEBUG off, a real SECRET_KEY, ALLOWED_HOSTS, SITE_URL, SMTP to the aiosmtpd server of
tests/mailserver.py), on a database this module creates (migrated by `manage.py migrate`, the demo loaded
on the suite's frozen day) and a Redis database of its own.  The processes live on the real clock:
production refuses COOPPORTAL_FROZEN_NOW.  Everything goes over HTTP, as a browser behind the TLS proxy
would (bench/loadtest/pages.py): CSRF tokens, the Secure cookies, htmx posts.

- the happy path: /healthz, a staff member saves an entry and submits, the coordinator approves, the leader
  issues the PDF, which the worker renders (DOCUMENTS_ASYNC_THRESHOLD=0), and a reminder job run by the
  worker sends its e-mails through SMTP; beat queues the jobs of its database schedule;
- the worker killed (its whole process group, SIGKILL) in the middle of a render, then started again: the
  document is made once (one number, one file, two attempts) and the page says it is ready;
- gunicorn stopped in the middle of a save (held inside its transaction by a table lock the test takes,
  after the entry's UPDATE and before its revision's INSERT): SIGTERM lets the save finish whole; SIGKILL
  leaves nothing of it.  Never a half-written entry.

The Redis database is REDIS_URL's next one (PRODUCTION_REDIS_URL overrides it); it is emptied before and after.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import secrets
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
import pytest
import redis
from django.conf import settings

from bench.loadtest.pages import Browser, Response, form_fields
from tests.mailserver import MailServer, free_port
from tests.support import FROZEN_AT, ROOT

pytestmark = pytest.mark.production

VENV = ROOT / ".venv" / "bin"
PASSWORD = "coopportal-demo"
LONG_AN = "Sở Công Thương tỉnh Long An"
WAIT = 90
SWEEP = "reporting.documents.tasks.recover_documents"


# --- the processes ---------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    cwd: Path = ROOT
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log_path.open("ab") as out:
            # Its own process group: the test stops or kills it with its children (gunicorn's and Celery's workers).
            self.popen = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the whole group: the master and its children die at once, mid-task."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=15)

    def stop(self) -> None:
        if not self.alive():
            self.signal_group(signal.SIGKILL)  # children a killed master may have left
            return
        assert self.popen is not None
        self.signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.signal_group(signal.SIGKILL)


def wait_until(
    condition: Callable[[], Any], what: str, *processes: Process, timeout: float = WAIT, poll: float = 0.1
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        for process in processes:
            assert process.alive(), f"{process.name} died while waiting for {what}:\n{process.log[-4000:]}"
        time.sleep(poll)
    logs = "\n".join(f"--- {p.name}\n{p.log[-3000:]}" for p in processes)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


@dataclass
class Stack:
    tmp: Path
    database_url: str
    redis_url: str
    env: dict[str, str]
    mail: MailServer
    port: int = field(default_factory=free_port)
    started: list[Process] = field(default_factory=list)
    # The running gunicorn, worker and beat (set when started).
    web: Process = field(init=False)
    worker: Process = field(init=False)
    beat: Process = field(init=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def browser(self) -> Browser:
        return Browser(self.base, timeout=60)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = psycopg2.connect(self.database_url)
        try:
            with conn, conn.cursor() as cursor:
                cursor.execute(query, params or None)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()

    def process(self, name: str, command: list[str], cwd: Path = ROOT) -> Process:
        process = Process(name, command, self.env, self.tmp / f"{name}.log", cwd=cwd).start()
        self.started.append(process)
        return process

    def start_web(self, wait: bool = True) -> Process:
        self.web = self.process(
            "gunicorn",
            [
                str(VENV / "gunicorn"), "-c", "python:coopportal.gunicorn_conf", "coopportal.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
            ],
        )  # fmt: skip
        if wait:
            wait_until(self.healthy, "gunicorn to answer /healthz", self.web)
        return self.web

    def healthy(self) -> bool:
        with contextlib.suppress(OSError):
            return self.browser().get("/healthz").status == 200
        return False

    def start_worker(self, name: str = "worker", wait: bool = True) -> Process:
        """As docker-compose's worker service: the prefork pool, two processes."""
        node = f"{name}-{uuid.uuid4().hex[:6]}@localhost"
        self.worker = self.process(
            name, [str(VENV / "celery"), "-A", "coopportal", "worker", "--loglevel=INFO", "--concurrency=2", "-n", node]
        )
        if wait:
            wait_until(lambda: "ready." in self.worker.log, f"{name} to start", self.worker)
        return self.worker

    def start_beat(self, wait: bool = True) -> Process:
        # Its pid and schedule files land in its own folder, not in the project.
        (self.tmp / "beat").mkdir(exist_ok=True)
        self.beat = self.process(
            "beat",
            [
                str(VENV / "celery"), "-A", "coopportal", "beat", "--loglevel=INFO",
                "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
            ],
            cwd=self.tmp / "beat",
        )  # fmt: skip
        if wait:
            wait_until(lambda: "beat: Starting" in self.beat.log, "beat to start", self.beat)
        return self.beat

    def start_all(self) -> None:
        """gunicorn, the worker and beat started together (each loads the app for seconds), then waited for."""
        web, worker, beat = self.start_web(wait=False), self.start_worker(wait=False), self.start_beat(wait=False)
        wait_until(self.healthy, "gunicorn to answer /healthz", web)
        wait_until(lambda: "ready." in worker.log, "worker to start", worker)
        wait_until(lambda: "beat: Starting" in beat.log, "beat to start", beat)

    def login(self, username: str) -> Browser:
        browser = self.browser()
        browser.login(username, PASSWORD)
        return browser


def run(stack_env: dict[str, str], *args: str, extra: dict[str, str] | None = None) -> None:
    result = subprocess.run(
        [str(VENV / "python"), "manage.py", *args],
        cwd=ROOT,
        env=stack_env | (extra or {}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


def static_root() -> tuple[Path, bool]:
    """Collected static files, kept between runs for the same sources (compressing them takes a while).

    The app's own files and the pinned packages (the admin's files come with Django) make the key."""
    sources = [*sorted(p for p in (ROOT / "static").rglob("*") if p.is_file()), ROOT / "requirements.txt"]
    stamp = str([(str(p.relative_to(ROOT)), p.stat().st_size, p.stat().st_mtime_ns) for p in sources])
    key = uuid.uuid5(uuid.NAMESPACE_URL, stamp).hex[:12]
    root = ROOT / "var" / "test-static" / key
    return root, (root / "staticfiles.json").exists()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("production")
    db = settings.DATABASES["default"]
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"test_{db['NAME']}_production{('_' + worker_id) if worker_id else ''}"
    user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    server = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    redis_url = os.environ.get("PRODUCTION_REDIS_URL", "")
    if not redis_url:
        base = redis.Redis.from_url(settings.REDIS_URL).connection_pool.connection_kwargs
        redis_url = f"redis://{base.get('host', '127.0.0.1')}:{base.get('port', 6379)}/{(base.get('db', 0) + 1) % 16}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(redis_url).flushdb()
    mail = MailServer()
    mail.controller.start()
    static, collected = static_root()
    # The suite's environment (coverage of subprocesses included), less what makes a development process.
    inherited = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "COOPPORTAL_FROZEN_NOW", "DATABASE_URL")}
    env = inherited | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{server}/{name}",
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail.port),
        "EMAIL_TIMEOUT": "10",
        "COOPPORTAL_VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(static),
        "DOCUMENTS_SCRATCH_DIR": str(tmp / "scratch"),
        # Every PDF is rendered by the worker, its appendix in a second process (a render long enough to kill).
        "DOCUMENTS_ASYNC_THRESHOLD": "0",
        "DOCUMENTS_PARALLEL_THRESHOLD": "1",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),  # beat runs in a folder of its own
    }
    stack = Stack(tmp=tmp, database_url=f"{server}/{name}", redis_url=redis_url, env=env, mail=mail)
    stack.env["SITE_URL"] = f"https://127.0.0.1:{stack.port}"
    try:
        # Static files are compressed while the database is migrated and seeded (both take CPU seconds).
        collect = None
        if not collected:
            collect = subprocess.Popen(
                [str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
        run(env, "migrate", "--noinput", "-v0")
        # The demo on the suite's frozen day (a development process: the demo's public passwords).
        run(env, "load_demo", extra={"DEBUG": "true", "COOPPORTAL_FROZEN_NOW": FROZEN_AT.isoformat()})
        if collect is not None:
            _out, err = collect.communicate(timeout=300)
            assert collect.returncode == 0, err.decode(errors="replace")
        # Beat counts a new row's minute from its own start; a sweep last sent an hour ago is due at its first
        # tick, so that the schedule's test waits seconds, not the rest of a minute.
        stack.sql(
            "UPDATE django_celery_beat_periodictask SET last_run_at = now() - interval '1 hour' WHERE task = %s",
            SWEEP,
        )
        stack.start_all()
        yield stack
    finally:
        for process in reversed(stack.started):
            process.stop()
        mail.controller.stop()
        redis.Redis.from_url(redis_url).flushdb()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# --- what the pages are ------------------------------------------------------------------------------


def programme_report(stack: Stack, body: str, year: int, index: int) -> int:
    rows = stack.sql(
        "SELECT r.id FROM reporting_progressreport r JOIN reporting_reportingperiod p ON p.id = r.period_id "
        "JOIN agreements_party pa ON pa.id = r.party_id JOIN agreements_body b ON b.id = pa.body_id "
        "JOIN agreements_agreement a ON a.id = p.agreement_id "
        "WHERE a.kind = 'programme' AND b.name = %s AND p.year = %s AND p.index = %s",
        body, year, index,
    )  # fmt: skip
    assert len(rows) == 1, rows
    return int(rows[0][0])


def save_entry(browser: Browser, report: int, entry: int, results: str) -> Response:
    """The "Lưu mục này" button: the entry's fieldset, as the edit page shows it, posted by htmx."""
    edit = f"/reports/{report}/edit/"
    page = browser.get(edit)
    assert page.status == 200, page.status
    fields = form_fields(page.text, f"entry-{entry}")
    fields[f"e{entry}-results"] = results
    fields[f"e{entry}-status"], fields[f"e{entry}-percent_complete"] = "on_track", "40"
    return browser.post(
        f"/reports/{report}/entries/{entry}/",
        fields,
        referer=edit,
        htmx=True,
        files={f"e{entry}-evidence": ("", b"", "application/octet-stream")},
    )


def first_entry(stack: Stack, report: int) -> int:
    return int(stack.sql("SELECT min(id) FROM reporting_progressentry WHERE report_id = %s", report)[0][0])


def issue(stack: Stack, leader: Browser, report: int) -> int:
    """The leader issues the report's PDF from its documents panel (signer chosen, act confirmed)."""
    page = f"/reports/{report}/"
    panel = leader.get(f"/reports/{report}/documents/?next={page}")
    assert panel.status == 200 and "issue-form" in panel.text, panel.text[:2000]
    fields = form_fields(panel.text)
    fields["confirm"] = "1"
    response = leader.post(f"/reports/{report}/pdf/issue/", fields, referer=page)
    assert response.status == 302, response.text[:2000]
    rows = stack.sql(
        "SELECT id FROM reporting_officialdocument WHERE report_id = %s AND is_current AND number IS NOT NULL", report
    )
    assert len(rows) == 1, rows
    return int(rows[0][0])


def status(browser: Browser, document: int) -> dict[str, Any]:
    response = browser.get(f"/documents/{document}/status/")
    assert response.status == 200, response.text[:1000]
    return dict(json.loads(response.body))


def pdf_files(stack: Stack) -> list[Path]:
    return sorted((stack.tmp / "media").rglob("*.pdf"))


# --- the tests ---------------------------------------------------------------------------------------------


def test_a_report_goes_from_staff_to_a_rendered_pdf_and_reminders_reach_smtp(stack: Stack) -> None:
    health = stack.browser().get("/healthz")
    assert health.status == 200 and b'"status": "ok"' in health.body, health.text
    # Production settings: any other page over plain http is sent to https (the proxy's job to terminate TLS).
    assert Browser(stack.base).request("GET", "/login/", headers={"Host": f"127.0.0.1:{stack.port}"}).status == 301

    report = programme_report(stack, LONG_AN, 2026, 2)
    entry = first_entry(stack, report)
    staff = stack.login("la.staff")
    saved = save_entry(staff, report, entry, "Đã tổ chức hội chợ kết nối cung cầu tại Tây Ninh, 120 doanh nghiệp.")
    assert saved.status == 200 and 'class="saved"' in saved.text, saved.text[:2000]
    assert stack.sql("SELECT results, status FROM reporting_progressentry WHERE id = %s", entry) == [
        ("Đã tổ chức hội chợ kết nối cung cầu tại Tây Ninh, 120 doanh nghiệp.", "on_track")
    ]
    fields = form_fields(staff.get(f"/reports/{report}/edit/").text)
    sent = staff.post(
        f"/reports/{report}/submit/",
        {"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "confirm": "1", "confirm_unchanged": "1"},
        referer=f"/reports/{report}/edit/",
    )
    assert sent.status == 302, sent.text[:2000]
    # The workflow event reaches the coordinator by e-mail through the worker, at once.
    wait_until(lambda: stack.mail.to("la.coord@demo.coopportal.local"), "the submission e-mail", stack.worker)

    coordinator = stack.login("la.coord")
    page = coordinator.get(f"/reports/{report}/")
    approved = coordinator.post(
        f"/reports/{report}/approve/",
        {"csrfmiddlewaretoken": form_fields(page.text)["csrfmiddlewaretoken"]},
        referer=f"/reports/{report}/",
    )
    assert approved.status == 302
    assert stack.sql("SELECT state FROM reporting_progressreport WHERE id = %s", report) == [("approved",)]

    leader = stack.login("la.leader")
    document = issue(stack, leader, report)
    wait_until(lambda: status(leader, document)["state"] == "ready", "the worker's render", stack.worker)
    download = leader.get(f"/documents/{document}/download/")
    assert download.status == 200 and download.body.startswith(b"%PDF"), download.status
    assert "render_official_document[" in stack.worker.log

    # The 06:30 job, sent to the worker for the day a week before the deadline: the drafts still open remind
    # their staff, by SMTP.
    (deadline,) = stack.sql("SELECT deadline FROM reporting_reportingperiod p JOIN reporting_progressreport r "
                            "ON r.period_id = p.id WHERE r.id = %s", report)[0]  # fmt: skip
    day = (deadline - datetime.timedelta(days=7)).isoformat()
    called = subprocess.run(
        [str(VENV / "celery"), "-A", "coopportal", "call", "notifications.tasks.send_daily_reminders", "--args", f'["{day}"]'],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert called.returncode == 0, called.stderr
    reminders = wait_until(lambda: stack.mail.to("tn.staff@demo.coopportal.local"), "the reminder", stack.worker)
    assert f"{deadline:%d/%m/%Y}" in reminders[0].text, reminders[0].text
    assert f"https://127.0.0.1:{stack.port}/" in reminders[0].text  # links start with SITE_URL


def test_a_worker_killed_mid_render_makes_the_document_once_when_it_starts_again(stack: Stack) -> None:
    # Long An's approved report of the first half of 2026 (the demo): the leader issues it; the worker draws it.
    report = programme_report(stack, LONG_AN, 2026, 1)
    leader = stack.login("la.leader")
    files_before = pdf_files(stack)
    document = issue(stack, leader, report)

    def rendering() -> bool:
        return stack.sql("SELECT state FROM reporting_officialdocument WHERE id = %s", document) == [("rendering",)]

    wait_until(rendering, "the render to start", stack.worker, timeout=60, poll=0.02)
    stack.worker.kill()
    state, attempts = stack.sql("SELECT state, attempts FROM reporting_officialdocument WHERE id = %s", document)[0]
    assert state == "rendering", f"the render finished before the kill ({state}): nothing was interrupted"
    assert attempts == 1
    assert status(leader, document)["busy"] is True

    worker = stack.start_worker("worker-again")
    wait_until(lambda: status(leader, document)["state"] == "ready", "the render to be taken up again", worker)
    number, state, attempts = stack.sql(
        "SELECT number, state, attempts FROM reporting_officialdocument WHERE id = %s", document
    )[0]
    assert (state, attempts) == ("ready", 2)
    assert "queued again" in worker.log  # by the sweep the new worker runs when it starts
    # One number: no other document of this report, and the body's register moved once for it.
    assert stack.sql("SELECT count(*) FROM reporting_officialdocument WHERE report_id = %s", report) == [(1,)]
    assert number is not None
    # One file: the killed render left none behind.
    assert len(pdf_files(stack)) == len(files_before) + 1
    download = leader.get(f"/documents/{document}/download/")
    assert download.status == 200 and download.body.startswith(b"%PDF")
    panel = leader.get(f"/reports/{report}/documents/")
    assert "đã ban hành" in panel.text and "data-busy" not in panel.text


@contextlib.contextmanager
def revisions_locked(stack: Stack) -> Iterator[psycopg2.extensions.connection]:
    """A transaction holding SHARE on the revisions: a save waits at its INSERT, its entry already UPDATEd."""
    conn = psycopg2.connect(stack.database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("LOCK TABLE reporting_entryrevision IN SHARE MODE")
        yield conn
    finally:
        conn.rollback()
        conn.close()


def save_in_flight(stack: Stack, report: int, entry: int, text: str) -> tuple[threading.Thread, dict[str, Any]]:
    """Start a save in a thread and return once it waits inside its transaction, the entry's UPDATE done."""
    staff = stack.login("tn.staff")
    outcome: dict[str, Any] = {}

    def post() -> None:
        try:
            outcome["response"] = save_entry(staff, report, entry, text)
        except Exception as exc:  # the connection dropped: the save was never acknowledged
            outcome["error"] = exc

    thread = threading.Thread(target=post, daemon=True)
    thread.start()

    def waiting() -> list[tuple[Any, ...]]:
        return stack.sql(
            "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' "
            "AND a.query LIKE 'INSERT INTO \"reporting_entryrevision\"%%' AND EXISTS (SELECT 1 FROM pg_locks l "
            "WHERE l.pid = a.pid AND l.relation = 'reporting_progressentry'::regclass AND l.mode = 'RowExclusiveLock')"
        )

    wait_until(waiting, "the save to wait inside its transaction", stack.web, timeout=30)
    return thread, outcome


def test_stopping_the_web_process_mid_save_leaves_the_save_whole_or_absent(stack: Stack) -> None:
    report = programme_report(stack, "Sở Công Thương tỉnh Tây Ninh", 2026, 2)
    entry = first_entry(stack, report)

    def stored() -> tuple[Any, ...]:
        version, results = stack.sql("SELECT version, results FROM reporting_progressentry WHERE id = %s", entry)[0]
        revisions = stack.sql("SELECT count(*) FROM reporting_entryrevision WHERE entry_id = %s", entry)[0][0]
        audits = stack.sql(
            "SELECT count(*) FROM core_auditentry WHERE action = 'entry.saved' AND object_id = %s", entry
        )[0][0]
        return version, results, revisions, audits

    # SIGTERM: gunicorn stops taking requests and lets the one in flight finish; it is saved whole.
    version, _results, revisions, audits = stored()
    with revisions_locked(stack):
        thread, outcome = save_in_flight(stack, report, entry, "Lưu khi máy chủ đang dừng (SIGTERM).")
        stack.web.signal_group(signal.SIGTERM)
        time.sleep(1)
    thread.join(timeout=60)
    assert stack.web.popen is not None and stack.web.popen.wait(timeout=60) is not None
    assert "response" in outcome and outcome["response"].status == 200, outcome
    assert 'class="saved"' in outcome["response"].text
    assert stored() == (version + 1, "Lưu khi máy chủ đang dừng (SIGTERM).", revisions + 1, audits + 1)

    # SIGKILL: the save dies with its worker, inside its transaction; PostgreSQL rolls it back whole.
    stack.start_web()
    before = stored()
    with revisions_locked(stack):
        thread, outcome = save_in_flight(stack, report, entry, "Lưu khi máy chủ bị tắt ngang (SIGKILL).")
        stack.web.kill()
        thread.join(timeout=60)
    assert "error" in outcome or outcome["response"].status >= 500, outcome

    # Its connection is gone once the lock is released; whatever it wrote went with it.
    def ended() -> bool:
        return not stack.sql(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' "
            "AND query LIKE 'INSERT INTO \"reporting_entryrevision\"%%'"
        )

    wait_until(ended, "the killed save's connection to end", timeout=30)
    assert stored() == before

    # The page comes back with gunicorn: the stored text, and the next save goes through.
    stack.start_web()
    staff = stack.login("tn.staff")
    assert "Lưu khi máy chủ đang dừng (SIGTERM)." in staff.get(f"/reports/{report}/edit/").text
    again = save_entry(staff, report, entry, "Lưu lại sau khi máy chủ chạy lại.")
    assert again.status == 200 and 'class="saved"' in again.text
    assert stored()[:3] == (before[0] + 1, "Lưu lại sau khi máy chủ chạy lại.", before[2] + 1)


def test_beat_queues_the_jobs_of_the_database_schedule(stack: Stack) -> None:
    """Beat sends the document sweep of its database schedule (due at its start: see the fixture) to the broker."""
    assert stack.beat.alive()
    wait_until(
        lambda: "Sending due task" in stack.beat.log and "recover_documents" in stack.beat.log,
        "beat to queue the sweep",
        stack.beat,
        timeout=90,
    )
