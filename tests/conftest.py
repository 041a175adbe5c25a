from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.support import ARTIFACTS, FROZEN_AT, ensure_demo, load_demo


@pytest.fixture(scope="session", autouse=True)
def frozen_clock() -> Any:
    """Every test lives on the same day whatever the real date (the demo opens periods up to "today").

    The clock ticks from FROZEN_AT so that timeouts still pass; a test that needs another day
    moves it with the `travel` fixture.
    """
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture
def travel(frozen_clock: Any) -> Any:
    """Move the clock for one test: `travel(datetime)`; it comes back to FROZEN_AT afterwards."""
    travellers: list[Any] = []

    def go(moment: Any) -> None:
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture(scope="session")
def django_db_setup(frozen_clock: Any, django_db_setup: Any, django_db_blocker: Any) -> None:
    # Loaded once; every test runs in a transaction that is rolled back around it.
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db: Any) -> None:
    ensure_demo()


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
