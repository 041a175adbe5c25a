"""Who answers for a body today, for a whole run at once.

`agreements.access.members_with_role` walks one body's chain per call; a daily job over 2,000
agreements cannot.  The Directory loads every active membership once and walks the successor
chains backwards once (one query per generation, as `Body.objects.predecessors_of` does), so a
run costs the same few queries whatever the number of agreements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User

from agreements.models import Body, Membership, Party, Role
from notifications.models import Preference

NOTIFIED_ROLES = (Role.STAFF, Role.COORDINATOR, Role.LEADER)


@dataclass(frozen=True)
class Recipient:
    pk: int
    email: str
    language: str
    delivery: str
    name: str


class Directory:
    def __init__(self) -> None:
        members: dict[tuple[int, str], set[int]] = defaultdict(set)
        rows = Membership.objects.filter(user__is_active=True, role__in=NOTIFIED_ROLES).values_list(
            "body_id", "role", "user_id"
        )
        for body_id, role, user_id in rows:
            members[(body_id, role)].add(user_id)
        self._members = members
        # Any body (former ones included) -> the bodies with members that answer for it today.
        self._answering = Body.objects.predecessors_of({body_id for body_id, _role in members})

    def holders(self, body_ids: Iterable[int | None], roles: Iterable[str]) -> set[int]:
        """Ids of active users holding one of `roles` in one of the bodies or in a body that succeeded it."""
        wanted = tuple(roles)
        found: set[int] = set()
        for body_id in body_ids:
            if body_id is None:
                continue
            for answering in self._answering.get(body_id, ()):
                for role in wanted:
                    found |= self._members.get((answering, role), set())
        return found

    def of_party(self, party: Party | PartyRow, roles: Iterable[str]) -> set[int]:
        """A party is answered for by its body and by its coordinating office (agreements.access.party_roles)."""
        return self.holders((party.body_id, party.coordinating_office_id), roles)


@dataclass(frozen=True)
class PartyRow:
    """The fields of a party a run needs, read with values() rather than as model instances."""

    pk: int
    agreement_id: int
    body_id: int
    coordinating_office_id: int | None
    hosts_next_meeting: bool


def party_rows(agreement_ids: Iterable[int]) -> dict[int, list[PartyRow]]:
    """Agreement id -> its parties, one query."""
    by_agreement: dict[int, list[PartyRow]] = defaultdict(list)
    rows = (
        Party.objects.filter(agreement_id__in=set(agreement_ids))
        .order_by("agreement_id", "order", "pk")
        .values_list("pk", "agreement_id", "body_id", "coordinating_office_id", "hosts_next_meeting")
    )
    for row in rows:
        by_agreement[row[1]].append(PartyRow(*row))
    return by_agreement


def people(user_ids: Iterable[int]) -> dict[int, Recipient]:
    """E-mail address and preferences of the users, one query for all of them."""
    ids = set(user_ids)
    users = User.objects.filter(pk__in=ids).select_related("notification_preference")
    result: dict[int, Recipient] = {}
    for user in users:
        preference: Preference | None = getattr(user, "notification_preference", None)
        result[user.pk] = Recipient(
            pk=user.pk,
            email=user.email,
            language=preference.language if preference else "vi",
            delivery=preference.delivery if preference else Preference.Delivery.IMMEDIATE,
            name=user.get_full_name() or user.get_username(),
        )
    return result
