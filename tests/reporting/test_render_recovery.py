"""Renders that die, brokers that are down (issue 12, point 3): nothing stays stuck, nothing is made twice.

With real Celery workers (tests/workers.py) on real Redis: the worker's pool process killed in the
middle of a render (its task is redelivered and takes over at once), the whole worker killed and
started again (its first sweep queues the render again), the broker unreachable when a document is
issued and downloaded (a clear message, never a 500; the sweep sends it once the broker is back).
Without a worker: the sweep's rules (leases, attempts, pending rows the broker never got, two sweeps
at once), the retry link, and the scratch folders of killed renders.  Messages are counted in the
Redis list of the test's own queue.
"""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from core import clock
from reporting.documents import processes, rendering
from reporting.documents.kinds import ConsolidatedReportDocument
from reporting.documents.tasks import recover_documents, render_official_document
from reporting.models import DocumentNumberCounter, OfficialDocument, ReportingPeriod
from tests.support import content_text, fill_and_approve_period, issue_via_page, periods_of
from tests.workers import Worker, start_worker, use_broker, wait_for

State = OfficialDocument.State
QUEUE_DOWN = "Dịch vụ xử lý nền tạm thời không hoạt động"


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def documents(settings: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The test's own media, scratch folder and render queue (shared with any worker it starts)."""
    queue = f"recovery-{uuid.uuid4().hex[:10]}"
    media, scratch = tmp_path / "media", tmp_path / "scratch"
    settings.MEDIA_ROOT = str(media)
    settings.DOCUMENTS_SCRATCH_DIR = scratch
    settings.DOCUMENTS_CELERY_QUEUE = queue
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the demo consolidated report (8 commitments) goes to the worker
    yield {
        "queue": queue,
        "media": media,
        "scratch": scratch,
        "env": {
            "MEDIA_ROOT": str(media),
            "DOCUMENTS_SCRATCH_DIR": str(scratch),
            "DOCUMENTS_CELERY_QUEUE": queue,
            # The appendix in a second process: every render has a scratch folder and a child to leave behind.
            "DOCUMENTS_PARALLEL_THRESHOLD": "1",
        },
    }
    broker().delete(queue)


def broker() -> redis.Redis:
    return redis.Redis.from_url(django_settings.REDIS_URL)


def queued(queue: str) -> int:
    """Messages waiting in the test's queue (kombu keeps a Redis list per queue)."""
    return int(broker().llen(queue))


def start(tmp_path: Path, documents: dict[str, Any], name: str, pool: str = "solo") -> Worker:
    return start_worker(tmp_path, queue=documents["queue"], env=documents["env"], name=name, pool=pool)


def stop(*workers: Worker) -> None:
    for worker in workers:
        worker.stop()
    connection.close()  # the flush after the test must not wait on our connection


def pdf_files(media: Path) -> list[Path]:
    return sorted(media.rglob("*.pdf"))


def scratch_folders(scratch: Path) -> list[Path]:
    return [folder for host in scratch.glob("*") for folder in host.glob("*")] if scratch.exists() else []


def pdfworker_pids(scratch: Path) -> list[int]:
    """The appendix processes (python -m reporting.documents.pdfworker) working in the test's scratch folder."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if "reporting.documents.pdfworker" in command and str(scratch) in command and state not in ("Z", "X"):
            pids.append(int(entry.name))
    return pids


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def owner_pid(stored: OfficialDocument) -> int:
    return int(stored.rendered_by.split("/")[1])


def issue_consolidated(client: Any, users: dict[str, Any], period: ReportingPeriod) -> OfficialDocument:
    client.force_login(users["la.leader"])
    party = period.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
    assert issue_via_page(client, ConsolidatedReportDocument(period, party)).status_code == 302
    return OfficialDocument.objects.get()


def wait_rendering_with_scratch(worker: Worker, documents: dict[str, Any]) -> OfficialDocument:
    """Until the worker is in the middle of the render: claimed, its appendix process started."""

    def started() -> OfficialDocument | None:
        stored = OfficialDocument.objects.filter(state=State.RENDERING).first()
        if stored is None or not scratch_folders(documents["scratch"]) or not pdfworker_pids(documents["scratch"]):
            return None
        return stored

    return wait_for(started, worker, "the render to start", timeout=90)


def assert_rendered_once(client: Any, url: str, documents: dict[str, Any], tmp_path: Path) -> None:
    stored = OfficialDocument.objects.get()
    assert stored.state == State.READY and stored.number == 1
    assert DocumentNumberCounter.objects.get().last_number == 1
    assert pdf_files(documents["media"]) == [Path(stored.file.path)], "one file, the document's"
    download = client.get(url)
    assert download.status_code == 200
    path = tmp_path / "downloaded.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    assert "Số: 01/BC-SCT" in content_text(path)


@pytest.fixture
def approved_period(transactional_db: Any, users: dict[str, Any]) -> ReportingPeriod:
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return period


# --- renders that die, with real workers ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_killed_pool_process_is_taken_over_at_once(
    client: Any, users: Any, approved_period: ReportingPeriod, documents: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL to the pool process mid-render: the task comes back (acks_late), sees its owner dead, renders once."""
    worker = start(tmp_path, documents, "prefork", pool="prefork")
    try:
        stored = issue_consolidated(client, users, approved_period)
        url = reverse("document_consolidated_pdf", args=[approved_period.pk])
        rendering_now = wait_rendering_with_scratch(worker, documents)
        child = owner_pid(rendering_now)
        assert child != worker.process.pid, "the render runs in the pool's child process"
        killed_folders = scratch_folders(documents["scratch"])
        appendix = pdfworker_pids(documents["scratch"])
        os.kill(child, signal.SIGKILL)

        # At once, not after the lease (60 s at least; and the worker's clock, frozen, never reaches it):
        # the redelivered task sees the owner's process gone.
        wait_for(lambda: "taking over from a render that died" in worker.log, worker, "the takeover", timeout=30)
        status_url = reverse("document_status", args=[stored.pk])
        wait_for(lambda: client.get(status_url).json()["state"] == "ready", worker, "the render", timeout=90)
        assert OfficialDocument.objects.get().attempts == 2
        assert_rendered_once(client, url, documents, tmp_path)
        # The killed render's appendix process exited with it, and its folder (the report's HTML) is gone.
        wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in appendix), worker, "the orphan to exit", 10)
        assert not any(folder.exists() for folder in killed_folders)
        assert scratch_folders(documents["scratch"]) == []
    finally:
        stop(worker)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_recovered_when_it_starts_again(
    client: Any, users: Any, approved_period: ReportingPeriod, documents: dict[str, Any], tmp_path: Path
) -> None:
    """The whole worker SIGKILLed mid-render, then started again: its first sweep queues the render; done once."""
    first = start(tmp_path, documents, "first")
    second = None
    try:
        stored = issue_consolidated(client, users, approved_period)
        url = reverse("document_consolidated_pdf", args=[approved_period.pk])
        wait_rendering_with_scratch(first, documents)
        killed_folders = scratch_folders(documents["scratch"])
        first.kill()
        # The message stays unacknowledged in Redis (redelivered only after the visibility timeout, an
        # hour); meanwhile the page's status says it is being made, and may be retried.
        status_url = reverse("document_status", args=[stored.pk])
        status = client.get(status_url).json()
        assert (status["state"], status["busy"], status["retry"]) == ("rendering", True, True)

        second = start(tmp_path, documents, "second")
        wait_for(lambda: client.get(status_url).json()["state"] == "ready", second, "the recovery", timeout=90)
        assert "recover_documents" in second.log and "queued again" in second.log
        assert OfficialDocument.objects.get().attempts == 2
        assert_rendered_once(client, url, documents, tmp_path)
        assert not any(folder.exists() for folder in killed_folders)
        # The lost message, when Redis gives it back, finds the document done: nothing happens.
        finished = OfficialDocument.objects.get().finished_at
        render_official_document.apply_async(args=(stored.pk,), queue=documents["queue"])
        wait_for(lambda: "'not-claimed'" in second.log, second, "the late delivery")
        assert OfficialDocument.objects.get().finished_at == finished
        assert pdf_files(documents["media"]) == [Path(OfficialDocument.objects.get().file.path)]
    finally:
        stop(*(w for w in (first, second) if w is not None))


# --- the broker down ----------------------------------------------------------------------------


@pytest.fixture
def broker_at() -> Iterator[Any]:
    """use_broker(url) for one test; the real broker again afterwards."""
    yield use_broker
    use_broker(django_settings.CELERY_BROKER_URL)


@pytest.mark.django_db(transaction=True)
def test_a_dead_broker_gives_a_clear_message_and_the_sweep_sends_the_render_later(
    client: Any,
    users: Any,
    approved_period: ReportingPeriod,
    documents: dict[str, Any],
    broker_at: Any,
    tmp_path: Path,
) -> None:
    worker = start(tmp_path, documents, "worker")
    try:
        broker_at("redis://127.0.0.1:1/0")  # nothing listens there
        client.force_login(users["la.leader"])
        party = approved_period.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
        response = issue_via_page(client, ConsolidatedReportDocument(approved_period, party))
        assert response.status_code == 302  # issued: the number is given, the file waits
        page = client.get(response.url)
        assert "Đã cấp số 01/BC-SCT" in page.content.decode() and QUEUE_DOWN in page.content.decode()
        stored = OfficialDocument.objects.get()
        assert (stored.state, stored.queued_at, stored.number) == (State.PENDING, None, 1)

        url = reverse("document_consolidated_pdf", args=[approved_period.pk])
        response = client.get(url)  # tries to send it again, in vain
        assert response.status_code == 202 and QUEUE_DOWN in response.content.decode()
        status = client.get(reverse("document_status", args=[stored.pk])).json()
        assert status["busy"] and QUEUE_DOWN in status["notice"] and status["state"] == "pending"
        assert queued(documents["queue"]) == 0

        broker_at(django_settings.CELERY_BROKER_URL)  # the broker is back; beat's next sweep:
        recover_documents.apply_async(queue=documents["queue"])
        status_url = reverse("document_status", args=[stored.pk])
        wait_for(lambda: client.get(status_url).json()["state"] == "ready", worker, "the render after the outage")
        assert "notice" in status and client.get(status_url).json()["notice"] == ""
        assert OfficialDocument.objects.get().attempts == 1
        assert_rendered_once(client, url, documents, tmp_path)
    finally:
        stop(worker)


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_never_answers_does_not_hold_the_request(
    client: Any, users: Any, documents: dict[str, Any], broker_at: Any
) -> None:
    """A broker that accepts the connection and then says nothing: the publish gives up in seconds."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        client.force_login(users["la.coord"])
        period = periods_of(2026)[-1]  # a large draft, drawn by the worker
        began = time.monotonic()
        response = client.get(reverse("document_consolidated_pdf", args=[period.pk]))
        took = time.monotonic() - began
    finally:
        silent.close()
    assert response.status_code == 202 and QUEUE_DOWN in response.content.decode()
    assert took < 15, f"the request waited {took:.1f} s"
    assert OfficialDocument.objects.get().error.startswith(QUEUE_DOWN)


# --- the sweep's rules, without a worker ----------------------------------------------------------


def issued_large(users: dict[str, Any], period: ReportingPeriod) -> OfficialDocument:
    """An issued consolidated document whose task went nowhere (no commit in these tests)."""
    from tests.support import issue_now

    party = period.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
    return issue_now(users, "la.leader", ConsolidatedReportDocument(period, party))


@pytest.mark.django_db
def test_the_sweep_requeues_lost_renders_once_and_leaves_live_ones(
    users: Any, first_half: ReportingPeriod, documents: dict[str, Any]
) -> None:
    stored = issued_large(users, first_half)
    now = clock.now()
    here = socket.gethostname()
    rows = OfficialDocument.objects.filter(pk=stored.pk)
    queue = documents["queue"]

    # Claimed on another host whose lease still runs: nobody can tell it is dead; left alone.
    rows.update(
        state=State.RENDERING,
        rendered_by="other-host/123/456/abcd",
        started_at=now - datetime.timedelta(seconds=30),
        lease_until=now + datetime.timedelta(seconds=60),
        attempts=1,
    )
    assert recover_documents()["lost"] == 0 and queued(queue) == 0
    # Its lease ran out: lost, queued again (were it alive after all, its finishing UPDATE would find
    # its claim gone and drop its file).
    rows.update(lease_until=now - datetime.timedelta(seconds=1))
    assert recover_documents() == {"lost": 1, "sent": 1, "folders": 0}
    stored.refresh_from_db()
    assert (stored.state, stored.rendered_by, stored.lease_until, stored.attempts) == (State.PENDING, "", None, 1)
    assert stored.queued_at is not None and queued(queue) == 1
    # A second sweep (or one on another worker) finds it queued: nothing sent twice.
    assert recover_documents()["sent"] == 0 and queued(queue) == 1

    # This host, its lease running, but the process gone (or its pid reused by a younger one): at once.
    for owner in (f"{here}/{dead_pid()}/1/x", f"{here}/{os.getpid()}/1/y"):
        rows.update(
            state=State.RENDERING,
            rendered_by=owner,
            started_at=now,
            lease_until=now + datetime.timedelta(minutes=10),
        )
        assert recover_documents()["sent"] == 1
    assert queued(queue) == 3
    # Its own live process is never taken for dead.
    rows.update(
        state=State.RENDERING,
        rendered_by=processes.claim_owner(),
        started_at=now,
        lease_until=now + datetime.timedelta(minutes=10),
    )
    assert recover_documents()["lost"] == 0


@pytest.mark.django_db
def test_a_render_interrupted_too_often_fails_with_a_message_and_retry_starts_again(
    client: Any,
    users: Any,
    first_half: ReportingPeriod,
    documents: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stored = issued_large(users, first_half)
    OfficialDocument.objects.filter(pk=stored.pk).update(
        state=State.RENDERING,
        rendered_by=f"{socket.gethostname()}/{dead_pid()}/1/x",
        started_at=clock.now(),
        lease_until=clock.now() + datetime.timedelta(minutes=5),
        attempts=settings.DOCUMENTS_MAX_ATTEMPTS,
    )
    assert recover_documents()["sent"] == 0
    stored.refresh_from_db()
    assert stored.state == State.FAILED and "bị ngắt giữa chừng 3 lần" in stored.error
    assert queued(documents["queue"]) == 0
    # A task still on its way finds the same: it does not render a document given up on.
    assert rendering.render_stored(stored.pk) == "not-claimed"

    client.force_login(users["la.coord"])
    url = reverse("document_consolidated_pdf", args=[first_half.pk])
    status = client.get(reverse("document_status", args=[stored.pk])).json()
    assert status["state"] == "failed" and status["retry"] and "bị ngắt" in status["error"]
    page = client.get(url)
    assert (
        page.status_code == 202 and "bị ngắt giữa chừng" in page.content.decode() and "retry=1" in page.content.decode()
    )
    client.force_login(users["la.staff"])  # not one who may download it
    assert client.get(url + "?retry=1").status_code == 403
    assert OfficialDocument.objects.get().state == State.FAILED
    client.force_login(users["la.coord"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url + "?retry=1").status_code == 202
    stored.refresh_from_db()
    assert (stored.state, stored.attempts, stored.error) == (State.PENDING, 0, "")
    assert queued(documents["queue"]) == 1
    assert rendering.render_stored(stored.pk) == State.READY  # what the worker does with it


@pytest.mark.django_db
def test_retry_takes_over_a_late_render_and_leaves_a_young_one(
    client: Any,
    users: Any,
    first_half: ReportingPeriod,
    documents: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    stored = issued_large(users, first_half)
    url = reverse("document_consolidated_pdf", args=[first_half.pk]) + "?retry=1"
    status_url = reverse("document_status", args=[stored.pk])
    client.force_login(users["la.leader"])
    now = clock.now()
    rows = OfficialDocument.objects.filter(pk=stored.pk)
    # Claimed on another host five seconds ago, a 60-second lease: not late, a retry waits for it.
    rows.update(
        state=State.RENDERING,
        rendered_by="other-host/1/1/a",
        started_at=now - datetime.timedelta(seconds=5),
        lease_until=now + datetime.timedelta(seconds=55),
        attempts=1,
        queued_at=now,
    )
    assert not client.get(status_url).json()["retry"]
    assert client.get(url).status_code == 202
    assert OfficialDocument.objects.get().rendered_by == "other-host/1/1/a" and queued(documents["queue"]) == 0
    # Forty seconds into a 60-second lease (its expected time is a third): late, the link is offered and works.
    rows.update(started_at=now - datetime.timedelta(seconds=40), lease_until=now + datetime.timedelta(seconds=20))
    status = client.get(status_url).json()
    assert status["retry"] and status["busy"]
    page = client.get(reverse("document_consolidated_pdf", args=[first_half.pk])).content.decode()
    assert "lâu hơn dự kiến" in page and "retry=1" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    stored.refresh_from_db()
    assert (stored.state, stored.rendered_by, stored.attempts) == (State.PENDING, "", 0)
    assert queued(documents["queue"]) == 1


@pytest.mark.django_db
def test_pending_rows_the_broker_never_got_are_sent_after_a_grace(
    users: Any, first_half: ReportingPeriod, documents: dict[str, Any], travel: Any
) -> None:
    stored = issued_large(users, first_half)  # on_commit never ran: pending, never queued
    assert (stored.state, stored.queued_at) == (State.PENDING, None)
    assert recover_documents()["sent"] == 0, "its sender may still be on its way"
    travel(clock.now() + rendering.QUEUE_GRACE + datetime.timedelta(seconds=1))
    assert recover_documents()["sent"] == 1 and queued(documents["queue"]) == 1
    # Queued a moment ago: a worker that starts sends it again all the same (the previous run may have
    # received it and died before starting it: the broker gives it back only after an hour).
    assert recover_documents()["sent"] == 0
    assert recover_documents(worker_start=True)["sent"] == 1 and queued(documents["queue"]) == 2
    # Queued, and the message lost with the broker's data: sent again after the longest render.
    travel(clock.now() + rendering.render_timeout() + datetime.timedelta(seconds=1))
    assert recover_documents()["sent"] == 1 and queued(documents["queue"]) == 3


@pytest.mark.django_db
def test_the_lease_follows_the_expected_time(users: Any, first_half: ReportingPeriod, settings: Any) -> None:
    settings.DOCUMENTS_LEASE_MIN_SECONDS, settings.DOCUMENTS_RENDER_TIMEOUT = 60, 900
    assert rendering.lease_for(8) == datetime.timedelta(seconds=60)  # the floor
    assert rendering.lease_for(1000) == datetime.timedelta(seconds=3 * (5 + 0.02 * 1000))  # 75 s
    assert rendering.lease_for(100_000) == datetime.timedelta(seconds=900)  # the cap
    stored = issued_large(users, first_half)
    OfficialDocument.objects.filter(pk=stored.pk).update(
        state=State.READY, render_seconds=40.0, commitment_count=1000, fingerprint="x", finished_at=clock.now()
    )
    assert rendering.lease_for(1000) == datetime.timedelta(seconds=3 * (5 + 0.04 * 1000))  # slower lately


def test_the_beat_row_runs_the_sweep_every_minute(db: Any) -> None:
    sweep = PeriodicTask.objects.get(task="reporting.documents.tasks.recover_documents")
    assert sweep.enabled and (sweep.interval.every, sweep.interval.period) == (1, "minutes")


# --- scratch folders --------------------------------------------------------------------------------


def test_scratch_folders_of_dead_renders_are_removed(settings: Any, tmp_path: Path) -> None:
    settings.DOCUMENTS_SCRATCH_DIR = tmp_path / "scratch"
    settings.DOCUMENTS_RENDER_TIMEOUT = 1
    # A render in another process makes its folder, writes the report's HTML, and is killed.
    script = (
        "import os, signal, django; django.setup();"
        "from reporting.documents.processes import new_scratch_folder;"
        "f = new_scratch_folder('pdf'); (f / 'job.json').write_text('<html>báo cáo</html>');"
        "print(f, flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    )
    env = os.environ | {"DOCUMENTS_SCRATCH_DIR": str(settings.DOCUMENTS_SCRATCH_DIR), "DEBUG": "true"}
    killed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=django_settings.BASE_DIR
    )
    assert killed.returncode == -signal.SIGKILL
    left = Path(killed.stdout.strip())
    assert (left / "job.json").exists()
    with processes.scratch_folder("pdf") as mine:  # a live render of this process, however old
        os.utime(mine, (0, 0))
        elsewhere = settings.DOCUMENTS_SCRATCH_DIR / "other-host"
        (elsewhere / "pdf-1-1-a").mkdir(parents=True)
        (elsewhere / "pdf-2-2-b").mkdir()
        os.utime(elsewhere / "pdf-1-1-a", (0, 0))  # another host's, older than the longest render
        assert processes.clean_scratch() == 2
        assert not left.exists() and mine.exists()
        assert not (elsewhere / "pdf-1-1-a").exists() and (elsewhere / "pdf-2-2-b").exists()
    assert not mine.exists()
