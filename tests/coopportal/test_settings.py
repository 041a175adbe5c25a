import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from coopportal import env
from tests.support import ROOT

PROD_ENV = {
    "PATH": os.environ["PATH"],
    "DEBUG": "false",
    "SECRET_KEY": "a-real-production-secret-that-is-long-enough-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "coopportal.example.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/coopportal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**PROD_ENV, **(extra or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_fails_loudly():
    env_without = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env_without, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_bad_database_url_fails_loudly():
    result = manage("check", extra={"DATABASE_URL": "nosuchdb://x"})
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2", "ja"])
def test_env_bool_is_strict(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("X_FLAG", default=False)


def test_env_int_is_strict(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "10")
    assert env.env_int("X_NUM", 1) == 10
