from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
ARTIFACTS = ROOT / "test-artifacts"


def _load_demo() -> None:
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Loaded once; every test runs in a transaction that is rolled back around it.
    with django_db_blocker.unblock():
        _load_demo()


@pytest.fixture
def demo(db: Any) -> None:
    from agreements.models import Agreement

    if not Agreement.objects.exists():  # a transactional test flushed the database
        _load_demo()


@pytest.fixture
def users(demo: None) -> dict[str, Any]:
    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's chromium, never a downloaded browser; the flags keep it off the (closed) network.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def la_report(demo: None) -> Any:
    """Sở Công Thương Long An's report for the second half of 2011 (the first period of the 2011 agreement)."""
    from reporting.models import ProgressReport

    return ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An",
        period__agreement__signed_on="2011-10-14",
        period__year=2011,
    )
