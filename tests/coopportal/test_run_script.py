"""`make run` (bin/run) prints the app's address only once the web server accepts connections
(bin/wait-for-port), and stops with a message when the server could not start."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from tests.support import ROOT

SCRIPT = ROOT / "bin" / "wait-for-port"


def load() -> Any:
    loader = importlib.machinery.SourceFileLoader("wait_for_port", str(SCRIPT))
    spec = importlib.util.spec_from_loader("wait_for_port", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_waits_for_a_server_that_starts_listening_later():
    waiter = load()
    port = free_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def listen_later() -> None:
        time.sleep(0.6)
        server.bind(("127.0.0.1", port))
        server.listen()

    thread = threading.Thread(target=listen_later)
    started = time.monotonic()
    thread.start()
    try:
        assert waiter.accepts("127.0.0.1", port) is False
        assert waiter.wait_for_port("127.0.0.1", port, pid=os.getpid(), timeout=10) is True
        assert time.monotonic() - started >= 0.5  # it did wait
    finally:
        thread.join()
        server.close()


def test_it_gives_up_when_the_server_process_ended_or_the_time_ran_out():
    waiter = load()
    port = free_port()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    while ended.poll() is None:
        time.sleep(0.01)
    started = time.monotonic()
    assert waiter.wait_for_port("127.0.0.1", port, pid=ended.pid, timeout=30) is False
    assert time.monotonic() - started < 5  # at once, not after the timeout

    zombie = subprocess.Popen([sys.executable, "-c", "pass"])  # ended, never reaped: as under bin/run's shell
    # Python starts and ends in a moment on a quiet machine, in seconds on a busy one: wait for it to end.  Were
    # zombies taken for live processes, alive() would stay True and the assertion below fail after the deadline.
    deadline = time.monotonic() + 30
    while waiter.alive(zombie.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert waiter.alive(zombie.pid) is False
    assert waiter.wait_for_port("127.0.0.1", port, pid=zombie.pid, timeout=30) is False
    zombie.wait()

    assert waiter.wait_for_port("127.0.0.1", port, timeout=0.3) is False


def test_the_real_dev_server_accepts_connections_when_the_script_returns(tmp_path):
    """runserver on the embedded SQLite default, as `make run` starts it: the script's 0 means it listens."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="true", COOPPORTAL_VAR_DIR=str(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        waited = subprocess.run(
            [sys.executable, str(SCRIPT), "127.0.0.1", str(port), "--pid", str(server.pid), "--timeout", "120"],
            timeout=150,
            check=False,
        )
        assert waited.returncode == 0
        with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
            connection.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            assert connection.recv(64).startswith(b"HTTP/1.")
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The server is gone: the script says so at once.
    assert (
        subprocess.run([sys.executable, str(SCRIPT), "127.0.0.1", str(port), "--pid", str(server.pid)]).returncode == 1
    )


def test_bin_run_prints_the_address_after_waiting():
    run = (ROOT / "bin" / "run").read_text()
    assert "sleep 2" not in run
    waits, prints = run.index("bin/wait-for-port 127.0.0.1 8000"), run.index("CoopPortal: http://127.0.0.1:8000")
    assert waits < prints
    assert os.access(SCRIPT, os.X_OK)
