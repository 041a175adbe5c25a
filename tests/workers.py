"""Real Celery workers for the tests: `celery -A coopportal worker --pool=solo` (or prefork) on a queue of their own.

They read the pytest-django test database (tests using them commit their data: transaction=True),
live on the test's day (COOPPORTAL_FROZEN_NOW) and can be given more settings through `env`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from core import clock

WAIT_SECONDS = 90


class Worker:
    def __init__(self, queue: str, log: Path, process: subprocess.Popen[bytes]) -> None:
        self.queue, self.log_path, self.process = queue, log, process

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, in the middle of whatever it was doing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)


def wait_for(condition: Callable[[], Any], worker: Worker, what: str, timeout: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        assert worker.process.poll() is None, f"the worker died:\n{worker.log[-3000:]}"
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{worker.log[-3000:]}")


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    tmp_path: Path,
    *,
    queue: str | None = None,
    env: dict[str, str] | None = None,
    name: str = "worker",
    pool: str = "solo",
) -> Worker:
    """Start a worker and wait until it is ready; the caller stops it (Worker.stop).

    pool="prefork" runs the tasks in one child process, as production does, so that a test can kill
    that child alone.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:10]}"
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "DEBUG": "true",
        "DB_CONN_MAX_AGE": "0",
        # The worker lives on the test's day too (core.clock), not on the real one.
        "COOPPORTAL_FROZEN_NOW": clock.now().isoformat(),
    }
    if settings.REDIS_URL:
        environment["REDIS_URL"] = settings.REDIS_URL
    environment |= env or {}
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"),
                "-A",
                "coopportal",
                "worker",
                "-Q",
                queue,
                f"--pool={pool}",
                *(["--concurrency=1"] if pool == "prefork" else []),
                "--loglevel=INFO",
                "-n",
                f"{name}-{uuid.uuid4().hex[:6]}@localhost",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(queue, log, process)
    try:
        wait_for(lambda: "ready." in worker.log, worker, f"{name} to start")
    except BaseException:
        worker.stop()
        raise
    return worker


def use_broker(url: str) -> None:
    """Point this process's Celery app (the test's and its live server's) at another broker, as its settings would.

    The connection and producer pools are made for the URL of their time, so they are dropped too.
    Tests give the URL back (settings.CELERY_BROKER_URL) when they are done.
    """
    from coopportal.celery import app

    app.conf.update(broker_url=url)
    app._pool = None
    app.amqp._producer_pool = None
