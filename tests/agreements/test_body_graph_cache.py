"""agreements.graph: walks of the succession of bodies kept between requests and made again as soon as a body or a
unit changes: a user's bodies back through the merger (agreements.access.roles_by_body), parties' bodies forward
to what they are today (agreements.models.prefetch_chains)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.access import roles_by_body
from agreements.filters import in_lineage
from agreements.models import PREFETCHED_CHAIN, AdministrativeUnit, Body, Membership, Role, prefetch_chains

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings: Any) -> None:
    settings.BODY_GRAPH_CACHE_SECONDS = 300  # as in production (tests/conftest.py turns it off for the others)


def department(province: str, *, old: bool) -> Body:
    return Body.objects.get(name=f"Sở Công Thương tỉnh {province}", valid_to__isnull=not old)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # a new request: nothing kept on the user object


def walks(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"agreements_body"' in q["sql"]]


def member_of(body: Body, username: str, role: str = Role.STAFF) -> User:
    user = User.objects.create(username=username)
    Membership.objects.create(user=user, body=body, role=role)
    return user


def test_the_second_request_reads_the_walk_from_the_cache(users: Any) -> None:
    newcomer = member_of(department("Tây Ninh", old=False), "tn.cached")
    first = roles_by_body(fresh(newcomer))
    request_user = fresh(newcomer)
    with CaptureQueriesContext(connection) as captured:
        again = roles_by_body(request_user)
    assert again == first and department("Long An", old=True).pk in again
    assert walks(captured) == []  # only the memberships and one read of the cache
    assert len(captured) == 2, [q["sql"] for q in captured.captured_queries]


def test_memberships_are_read_on_every_request(users: Any) -> None:
    body = department("Tây Ninh", old=False)
    newcomer = member_of(body, "tn.promoted")
    assert roles_by_body(fresh(newcomer))[body.pk] == {Role.STAFF}
    Membership.objects.create(user=newcomer, body=body, role=Role.COORDINATOR)
    assert roles_by_body(fresh(newcomer))[body.pk] == {Role.STAFF, Role.COORDINATOR}
    Membership.objects.filter(user=newcomer).delete()
    assert roles_by_body(fresh(newcomer)) == {}


def test_users_of_other_bodies_get_their_own_walk(users: Any) -> None:
    today = member_of(department("Tây Ninh", old=False), "tn.today")
    former = member_of(department("Long An", old=True), "la.former")
    roles_by_body(fresh(today))
    assert set(roles_by_body(fresh(former))) == {department("Long An", old=True).pk}


def test_a_body_saved_renews_every_walk(users: Any, django_capture_on_commit_callbacks: Any) -> None:
    """A department that the admin now records as handed over to today's Tây Ninh department: its
    successor's members answer for it on their next request, not five minutes later."""
    today_tn = department("Tây Ninh", old=False)
    newcomer = member_of(today_tn, "tn.handover")
    orphan = department("Tiền Giang", old=True)
    assert orphan.pk not in roles_by_body(fresh(newcomer))
    roles_by_body(fresh(newcomer))  # kept
    with django_capture_on_commit_callbacks(execute=True):
        orphan.successor = today_tn
        orphan.save()
    assert roles_by_body(fresh(newcomer))[orphan.pk] == {Role.STAFF}
    with django_capture_on_commit_callbacks(execute=True):
        orphan.successor = None
        orphan.save()
    assert orphan.pk not in roles_by_body(fresh(newcomer))


def test_a_unit_saved_renews_every_walk(users: Any, django_capture_on_commit_callbacks: Any) -> None:
    newcomer = member_of(department("Tây Ninh", old=False), "tn.unit")
    roles_by_body(fresh(newcomer))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        unit = AdministrativeUnit.objects.first()
        assert unit is not None
        unit.save()
    assert callbacks  # the version is renewed after the commit
    with CaptureQueriesContext(connection) as captured:
        roles_by_body(fresh(newcomer))
    assert walks(captured)  # walked again


def test_with_the_cache_off_every_request_walks(users: Any, settings: Any) -> None:
    settings.BODY_GRAPH_CACHE_SECONDS = 0
    newcomer = member_of(department("Tây Ninh", old=False), "tn.uncached")
    roles_by_body(fresh(newcomer))
    with CaptureQueriesContext(connection) as captured:
        roles_by_body(fresh(newcomer))
    assert walks(captured)


def chain_of(body_id: int) -> list[int]:
    body = Body.objects.get(pk=body_id)
    prefetch_chains([body])
    return [node.pk for node in getattr(body, PREFETCHED_CHAIN)]


def test_a_body_s_chain_to_today_is_kept_and_made_again_when_a_body_changes(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    former_la, today_tn = department("Long An", old=True), department("Tây Ninh", old=False)
    assert chain_of(former_la.pk)[-1] == today_tn.pk
    body = Body.objects.get(pk=former_la.pk)
    with CaptureQueriesContext(connection) as captured:
        prefetch_chains([body])
    assert not any("next_1" in q["sql"] for q in captured.captured_queries)  # the chain walk was not made again
    assert [node.pk for node in getattr(body, PREFETCHED_CHAIN)][-1] == today_tn.pk
    # The department is recorded as handed over to Đồng Tháp's instead: its page names that one at once.
    dong_thap = department("Đồng Tháp", old=False)
    with django_capture_on_commit_callbacks(execute=True):
        former_la.successor = dong_thap
        former_la.save()
    assert chain_of(former_la.pk)[-1] == dong_thap.pk


def province_bodies(unit: AdministrativeUnit) -> set[int]:
    """The bodies a province filter (agreements.filters.in_lineage) tests the parties against."""
    return {pk for one_of in in_lineage([unit.pk]).children for pk in one_of.ids}


def test_a_province_s_bodies_are_kept_and_found_again_when_a_body_is_added(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Tây Ninh today stands for the old Long An: its bodies are one cache read on the next filtered list, and a
    body added to the old Long An is in the filter at once."""
    today_tn = AdministrativeUnit.objects.get(short_name="Tây Ninh", valid_to__isnull=True)
    first = province_bodies(today_tn)
    assert department("Long An", old=True).pk in first and department("Tây Ninh", old=False).pk in first
    with CaptureQueriesContext(connection) as captured:
        assert province_bodies(today_tn) == first
    assert len(captured) == 1 and "coopportal_cache" in captured.captured_queries[0]["sql"]
    with django_capture_on_commit_callbacks(execute=True):
        added = Body.objects.create(
            kind=Body.Kind.DEPARTMENT,
            name="Sở Du lịch tỉnh Long An",
            unit=AdministrativeUnit.objects.get(short_name="Long An"),
            valid_to=department("Long An", old=True).valid_to,
        )
    assert province_bodies(today_tn) == first | {added.pk}
