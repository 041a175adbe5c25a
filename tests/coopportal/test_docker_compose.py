"""No Docker engine runs here, so docker-compose itself validates the file (`config` needs no
engine) and the commands it runs are checked against the code they name."""

import importlib
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.support import ROOT


@pytest.fixture(scope="module")
def compose() -> dict:
    assert shutil.which("docker-compose"), "make test installs Debian's docker-compose"
    env_file = ROOT / ".env"
    created = not env_file.exists()
    if created:
        env_file.write_text("SECRET_KEY=not-a-real-secret\nALLOWED_HOSTS=coopportal.example.vn\n")
    try:
        result = subprocess.run(
            ["docker-compose", "-f", "docker-compose.yml", "config"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={"POSTGRES_PASSWORD": "secret", "PATH": "/usr/bin:/bin"},
        )
    finally:
        if created:
            env_file.unlink()
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_production_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}
    assert compose["services"]["web"]["environment"]["DEBUG"] == "false"
    assert compose["services"]["worker"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"


def test_commands_name_real_modules(compose):
    web = " ".join(compose["services"]["web"]["command"])
    assert "gunicorn coopportal.wsgi:application -c python:coopportal.gunicorn_conf" in web
    assert callable(importlib.import_module("coopportal.wsgi").application)
    # The shape the load test measures (bench/loadtest/run.py starts gunicorn with the same module).
    conf = importlib.import_module("coopportal.gunicorn_conf")
    assert conf.worker_class == "gthread"
    # A worker takes no more than twice its threads' connections and keeps none alive: the others wait in the
    # listen queue every worker shares, served in turn (docs/benchmarks.md, "Stop 23").
    assert (conf.worker_connections, conf.keepalive) == (2 * conf.threads, 0)
    celery_app = importlib.import_module("coopportal").celery_app
    for name in ("worker", "beat"):
        command = compose["services"][name]["command"]
        assert command[:4] == ["celery", "-A", "coopportal", name]
        assert celery_app.main == "coopportal"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "coopportal.wsgi:application" in dockerfile
    assert "python:coopportal.gunicorn_conf" in dockerfile


def test_exactly_one_beat_in_every_shape(compose):
    """One beat in docker-compose (its own service, one replica; workers never embed one) and in `make run`."""
    beats = [
        name
        for name, service in compose["services"].items()
        if "beat" in service.get("command", []) or "-B" in service.get("command", [])
    ]
    assert beats == ["beat"]
    assert compose["services"]["beat"].get("deploy", {}).get("replicas") == 1
    assert "django_celery_beat.schedulers:DatabaseScheduler" in compose["services"]["beat"]["command"]
    run = (ROOT / "bin" / "run").read_text()
    started = [line for line in run.splitlines() if line.startswith(".venv/bin/celery")]
    assert len(started) == 1, "one Celery process in `make run`"
    assert " worker -B " in started[0], "with the one beat embedded"


def test_each_gunicorn_worker_freezes_the_loaded_app_out_of_the_collector() -> None:
    """post_worker_init (run by gunicorn in each worker once the app is loaded) freezes what is loaded and
    collects the first generation less often; in a process of its own, not to change the suite's collector."""
    code = (
        "import gc; from coopportal import gunicorn_conf; before = gc.get_freeze_count(); "
        "gunicorn_conf.post_worker_init(None); print(before, gc.get_freeze_count() > 1000, gc.get_threshold())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split(" ", 2) == ["0", "True", "(50000, 20, 100)\n"]


def test_each_gunicorn_worker_collects_what_a_request_left_after_answering_it() -> None:
    """post_request (run by gunicorn's gthread worker after each response is written) collects the young
    generation, and an older one when the collector's own threshold for it is passed; in a process of its
    own, not to change the suite's collector."""
    code = """
import gc, weakref
from coopportal import gunicorn_conf

gunicorn_conf.post_worker_init(None)
collected = []
gc.callbacks.append(lambda phase, info: phase == "start" and collected.append(info["generation"]))

class Node:
    pass

def leave_a_cycle():
    node = Node()
    node.self = node  # freed only by the collector
    return weakref.ref(node)

cycle = leave_a_cycle()
assert cycle() is not None
gunicorn_conf.post_request(None, None, None, None)
print(cycle() is None, collected, gc.get_count()[0] < 100)
collected.clear()
for _ in range(gc.get_threshold()[1] + 1):
    gunicorn_conf.post_request(None, None, None, None)
print(collected.count(0), collected.count(1))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    first, second = out.stdout.splitlines()
    assert first == "True [0] True"
    # Of any 21 in a row, one collects the middle generation instead of the young one: by then the young
    # collections since its last one have passed its threshold (20), as the collector itself counts them.
    assert second == "20 1"
