"""agreements.access: roles through the successor chain, and who answers for a body today."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User

from agreements.access import members_with_role, parties_of, roles_by_body, visible_agreements
from agreements.models import Body, Membership, Role

pytestmark = pytest.mark.django_db


def department(province: str, *, old: bool) -> Body:
    return Body.objects.get(name=f"Sở Công Thương tỉnh {province}", valid_to__isnull=not old)


def test_a_member_of_todays_body_acts_for_its_predecessors(users):
    today_tn = department("Tây Ninh", old=False)
    newcomer = User.objects.create(username="tn.new.staff")
    Membership.objects.create(user=newcomer, body=today_tn, role=Role.STAFF)
    roles = roles_by_body(newcomer)
    for predecessor in (department("Long An", old=True), department("Tây Ninh", old=True)):
        assert roles[predecessor.pk] == {Role.STAFF}
    assert department("Tiền Giang", old=True).pk not in roles
    # ...and so sees both former departments' agreements, the 2011 one included.
    assert visible_agreements(newcomer).filter(signed_on=datetime.date(2011, 10, 14)).exists()
    assert parties_of(newcomer, {Role.COORDINATOR}).count() == 0


def test_a_member_of_a_former_body_does_not_act_for_its_successor(users):
    roles = roles_by_body(users["la.staff"])
    assert department("Long An", old=True).pk in roles and department("Tây Ninh", old=False).pk not in roles


def test_who_answers_for_a_body_includes_todays_successor(users):
    today_tn = department("Tây Ninh", old=False)
    newcomer = User.objects.create(username="tn.new.leader")
    Membership.objects.create(user=newcomer, body=today_tn, role=Role.LEADER)
    leaders = set(members_with_role(department("Long An", old=True), Role.LEADER).values_list("username", flat=True))
    assert leaders == {"la.leader", "tn.new.leader"}
    newcomer.is_active = False
    newcomer.save()
    assert not members_with_role(today_tn, Role.LEADER).filter(username="tn.new.leader").exists()


def test_a_successor_cycle_ends_the_walk(users):
    a, b = department("Long An", old=True), department("Tây Ninh", old=True)
    Body.objects.filter(pk=b.pk).update(successor=a)  # bad data typed in the admin: b -> a
    Body.objects.filter(pk=a.pk).update(successor=b)  # and a -> b, a cycle
    assert set(Body.objects.predecessors_of([a.pk])) == {a.pk, b.pk}
    assert [node.pk for node in Body.objects.get(pk=a.pk).chain()] == [a.pk, b.pk]


def test_anonymous_has_no_roles():
    assert roles_by_body(AnonymousUser()) == {}
    assert not visible_agreements(AnonymousUser()).exists()


def test_parties_holding_a_role_are_parties_of_with_a_flag(users):
    """access.parties_holding: every party the user acts for, each flagged when they hold one of the roles there,
    through the body or its coordinating office, the successor chain included; the filters narrow both."""
    from agreements.access import DOCUMENT_ROLES, holds_role, parties_holding

    mixed = User.objects.create(username="mixed.roles")
    Membership.objects.create(user=mixed, body=department("Long An", old=True), role=Role.STAFF)
    Membership.objects.create(user=mixed, body=department("Tây Ninh", old=False), role=Role.LEADER)
    rows = parties_holding(mixed, DOCUMENT_ROLES)
    assert sorted((pk, agreement) for pk, agreement, _issues in rows) == sorted(
        parties_of(mixed).values_list("pk", "agreement_id")
    )
    assert {pk for pk, _agreement, issues in rows if issues} == set(
        parties_of(mixed, DOCUMENT_ROLES).values_list("pk", flat=True)
    )
    assert any(issues for *_, issues in rows) and holds_role(mixed, Role.LEADER)
    assert not holds_role(mixed, Role.COORDINATOR)
    first = rows[0][1]
    assert {agreement for _pk, agreement, _issues in parties_holding(mixed, DOCUMENT_ROLES, agreement=first)} == {first}
    for user in (users["la.staff"], users["la.coord"], users["la.leader"]):
        expected = set(parties_of(user, DOCUMENT_ROLES).values_list("pk", flat=True))
        assert {pk for pk, _a, issues in parties_holding(user, DOCUMENT_ROLES) if issues} == expected
    assert parties_holding(AnonymousUser(), DOCUMENT_ROLES) == []
