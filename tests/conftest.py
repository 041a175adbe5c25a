from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from tests import snapshot
from tests.support import ARTIFACTS, FROZEN_AT, ensure_demo, fill_and_approve_period, load_demo, periods_of, track

# The real SMTP server fixture (`mail_server`), for any test that needs mail to arrive somewhere, and the
# real S3-compatible server (`s3_server`, `s3_bucket`) for the shared file storage; tests.parallel for
# pytest-xdist (a Redis database per worker, the groups of tests that share a module's fixture).
pytest_plugins = ["tests.mailserver", "tests.s3server", "tests.parallel"]


def pytest_configure(config: pytest.Config) -> None:
    # A password checked or set costs PBKDF2's million rounds (a third of a second of CPU): what a server
    # pays per sign-in, and what the suite would pay for every demo user it loads and every login it
    # tries.  MD5 first for the test process; the others still read a hash stored before.  The processes
    # the tests start (the production shape, `manage.py`) keep the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    # Walks of the succession of bodies (a user's bodies back through the merger, parties forward to today) are
    # cached between requests in production (agreements.graph); here every request walks them, so that a test's
    # query counts do not depend on which request came first. tests/agreements/test_body_graph_cache.py turns
    # the cache on.
    settings.BODY_GRAPH_CACHE_SECONDS = 0


@pytest.fixture(scope="session", autouse=True)
def frozen_clock() -> Any:
    """Every test lives on the same day whatever the real date (the demo opens periods up to "today").

    The clock ticks from FROZEN_AT so that timeouts still pass; a test that needs another day
    moves it with the `travel` fixture.
    """
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def vietnamese_after_each_test() -> Any:
    """LocaleMiddleware activates a request's language for the whole thread and never gives it back: a test
    that asks for English must not leave the next test's model strings ("đến", "năm 2021") in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    # Loaded once; every test runs in a transaction that is rolled back around it.  A transactional
    # test's flush empties it: tests.snapshot puts the same rows back (support.ensure_demo).
    with django_db_blocker.unblock():
        load_demo()
        snapshot.take()


def _flushes(item: pytest.Item) -> bool:
    """Whether pytest-django empties the database after this test (its rule: a transactional test)."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and bool(
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args[:1] == (True,)
    )
    return transaction or any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )


@contextmanager
def _untraced(item: pytest.Item) -> Iterator[None]:
    """Coverage paused for a test marked `no_cover`, in its setup and teardown too (pytest-cov pauses only the
    call, and a module's fixture does its work in a setup).  Those are the walks that request every page for
    every role, to check permissions and query counts: each page is covered by its own tests, and tracing
    doubled the walks' time."""
    plugin = item.config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    if item.get_closest_marker("no_cover") is None or not getattr(controller, "started", False):
        yield
        return
    controller.pause()
    try:
        yield
    finally:
        controller.resume()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Any:
    with _untraced(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """The demo back at once after a flush (tests.snapshot), so that no later test, whatever the order
    (pytest-xdist, a module's own fixtures), starts on an empty database or loads the demo in its own."""
    with _untraced(item):
        result = yield
    if nextitem is not None and _flushes(item):
        with item.config.stash[blocking_manager_key].unblock():
            ensure_demo()
    return result


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
    """Sở Công Thương Long An's report for the second half of 2011 (the first period of the 2011 agreement).

    The demo keeps the 2011 agreement as history (entered after the fact, no drafts); the tests of a
    report's life track it, as an admin would, and use its first report, a fresh draft.
    """
    from agreements.models import Agreement
    from reporting.models import ProgressReport

    track(Agreement.objects.get(signed_on="2011-10-14"))
    return ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An",
        period__agreement__signed_on="2011-10-14",
        period__year=2011,
    )


@pytest.fixture
def agreement(demo: None) -> Any:
    """The 2011 agreement of the Long An and Tây Ninh departments (whose constraints the model tests break).

    History in the demo (no periods): tracked here, as an admin would, so that its reports exist.
    """
    from agreements.models import Agreement

    return track(Agreement.objects.get(signed_on="2011-10-14"))


@pytest.fixture
def staff(client: Any, users: dict[str, Any]) -> Any:
    """The test client, logged in as Long An's staff member."""
    client.force_login(users["la.staff"])
    return client


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """MEDIA_ROOT in the test's own folder: stored documents never land in var/.

    The document view tests use it for every test (`pytest.mark.usefixtures("media")`).
    """
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def first_half(users: dict[str, Any]) -> Any:
    """The 2025 first half of the three-province programme, every report approved through the workflow."""
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return period


@pytest.fixture
def decision(demo: None) -> Any:
    """Decision no. 1 of the programme's yearly review meeting of 20 December 2025, not adopted yet."""
    import datetime as dt

    from agreements.models import Agreement
    from meetings.models import MeetingDecision, ReviewMeeting

    agreement = Agreement.objects.get(kind="programme")
    meeting = ReviewMeeting.objects.create(
        agreement=agreement,
        kind=ReviewMeeting.Kind.YEARLY,
        held_on=dt.date(2025, 12, 20),
        place="Tây Ninh",
        host_party=agreement.parties.get(hosts_next_meeting=True),
    )
    return MeetingDecision.objects.create(
        meeting=meeting, number=1, text="Tổ chức phiên kết nối giao thương quý I/2026."
    )


@pytest.fixture
def live_demo(transactional_db: Any, live_server: Any) -> Any:
    """A live server on the demo data, the history agreements tracked as an admin would (browser tests)."""
    from tests.support import track_history

    ensure_demo()
    track_history()
    return live_server
