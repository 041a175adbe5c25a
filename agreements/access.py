"""Who may do what with agreements: the one place where membership and role become permission.

A user acts for a party when one of their memberships is in the party's body, in its
coordinating office, or in a body that succeeded either (today's Sở Công Thương Tây Ninh
answers for the former Long An and Tây Ninh departments).  Views never test roles
themselves: they call a `get_*_for` helper, which returns the object or raises
PermissionDenied / Http404.  Reports and documents have theirs in reporting/access.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from agreements.graph import kept_walk
from agreements.models import Agreement, Body, Commitment, Membership, Party, Role
from core.types import Actor

_CACHE_ATTR = "_coopportal_roles_by_body"

# Leadership and coordinators issue and download the official reports; staff prepare the data.
DOCUMENT_ROLES = frozenset({Role.COORDINATOR, Role.LEADER})


def roles_by_body(user: Actor) -> dict[int, set[str]]:
    """Body id -> roles the user holds there, including bodies their bodies succeeded (cached on the user)."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, set[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    direct: dict[int, set[str]] = defaultdict(set)
    for body_id, role in Membership.objects.filter(user=user).values_list("body_id", "role"):
        direct[body_id].add(role)
    by_body: dict[int, set[str]] = {}
    for pk, roots in kept_walk("predecessors", direct, Body.objects.predecessors_of).items():
        by_body[pk] = set().union(*(direct[root] for root in roots))
    setattr(user, _CACHE_ATTR, by_body)
    return by_body


def holds_role(user: Actor, role: str) -> bool:
    """The user holds `role` in some body (or in a body it succeeded)."""
    return any(role in roles for roles in roles_by_body(user).values())


def is_site_admin(user: Actor) -> bool:
    return user.is_superuser or holds_role(user, Role.ADMIN)


def _roles_at(roles: dict[int, set[str]], body_id: int, office_id: int | None) -> set[str]:
    """The roles a user holds in a party: those in its body and in its coordinating office."""
    return roles.get(body_id, set()) | roles.get(office_id or 0, set())


def party_roles(user: Actor, party: Party) -> set[str]:
    return _roles_at(roles_by_body(user), party.body_id, party.coordinating_office_id)


def parties_of(user: Actor, roles: Iterable[str] | None = None) -> QuerySet[Party]:
    """Every party the user acts for (with one of `roles`, if given), as a queryset."""
    wanted = set(roles) if roles is not None else None
    body_ids = [pk for pk, held in roles_by_body(user).items() if wanted is None or held & wanted]
    return Party.objects.filter(Q(body_id__in=body_ids) | Q(coordinating_office_id__in=body_ids))


def parties_holding(user: Actor, roles: Iterable[str], **filters: object) -> list[tuple[int, int, bool]]:
    """(party id, agreement id, whether the user holds one of `roles` there) for every party the user acts for
    that matches `filters`: in one query, where parties_of(user) and parties_of(user, roles) would read twice."""
    wanted, held = set(roles), roles_by_body(user)
    rows = parties_of(user).filter(**filters).values_list("pk", "agreement_id", "body_id", "coordinating_office_id")
    return [
        (pk, agreement_id, bool(_roles_at(held, body_id, office_id) & wanted))
        for pk, agreement_id, body_id, office_id in rows
    ]


def visible_agreements(user: Actor) -> QuerySet[Agreement]:
    if is_site_admin(user):
        return Agreement.objects.all()
    # A subquery, not a join: annotations such as Count("parties") must see every party.
    return Agreement.objects.filter(pk__in=parties_of(user).values("agreement_id"))


def visible_commitments(user: Actor) -> QuerySet[Commitment]:
    """The commitments of the agreements the user can see."""
    if is_site_admin(user):
        # Not filtered by all the agreements: counting 100,000 commitments through that semi-join took 38 ms,
        # counting them alone 5.
        return Commitment.objects.all()
    return Commitment.objects.filter(agreement__in=parties_of(user).values("agreement_id"))


def get_agreement_for(user: Actor, agreement_id: int) -> Agreement:
    try:
        return visible_agreements(user).get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Http404 from None


def my_parties(user: Actor, agreement: Agreement) -> list[Party]:
    return [party for party in agreement.parties.all() if party_roles(user, party)]


def is_agreement_coordinator(user: Actor, agreement: Agreement) -> bool:
    return is_site_admin(user) or any(Role.COORDINATOR in party_roles(user, p) for p in agreement.parties.all())


def get_agreement_for_audit(user: Actor, agreement_id: int) -> Agreement:
    """An agreement's history (the audit trail): its coordinators, of any party, and site admins.

    The other members of its parties know the agreement (403); anyone else does not (404).
    """
    agreement = get_agreement_for(user, agreement_id)
    if not is_agreement_coordinator(user, agreement):
        raise PermissionDenied(_("Lịch sử thay đổi của thỏa thuận chỉ bộ phận điều phối của các bên xem được."))
    return agreement


def issues_for(user: Actor, party: Party) -> bool:
    """The user issues official documents in the party's name: a leader or coordinator of it, or a site admin."""
    return is_site_admin(user) or bool(party_roles(user, party) & DOCUMENT_ROLES)


def document_parties(user: Actor, agreement: Agreement) -> list[Party]:
    """The parties in whose name the user may issue official PDFs of the agreement (admins: all)."""
    parties = agreement.parties.select_related("body__parent", "coordinating_office")
    return [party for party in parties if issues_for(user, party)]


def members_with_role(body: Body, role: str) -> QuerySet[User]:
    """Active users who hold `role` in `body` or in a body that succeeded it (who answers for it today)."""
    answering = [node.pk for node in body.chain()]
    return User.objects.filter(is_active=True, memberships__body_id__in=answering, memberships__role=role).distinct()


def can_create_agreements(user: Actor) -> bool:
    """Coordinating offices (a coordinator anywhere) and site admins enter agreements in the app."""
    return is_site_admin(user) or holds_role(user, Role.COORDINATOR)


def require_creator(user: Actor) -> None:
    if not can_create_agreements(user):
        raise PermissionDenied(_("Chỉ bộ phận điều phối mới nhập được thỏa thuận hợp tác."))


def check_own_party(user: Actor, bodies: Iterable[Body]) -> None:
    """A coordinator enters agreements their office is a party to: one of `bodies` must be theirs, or the
    body their office belongs to (the office then coordinates that party, so they can go on editing).

    Raises PermissionDenied with the message for the form; site admins enter any agreement.
    """
    if is_site_admin(user):
        return
    party_ids = {body.pk for body in bodies}
    mine = [pk for pk, roles in roles_by_body(user).items() if Role.COORDINATOR in roles]
    if party_ids.intersection(mine):
        return
    if not Body.objects.filter(pk__in=mine, parent_id__in=party_ids).exists():
        raise PermissionDenied(
            _("Cơ quan của bạn phải là một bên của thỏa thuận (hoặc bộ phận điều phối của một bên).")
        )


def get_agreement_for_edit(user: Actor, agreement_id: int) -> Agreement:
    """An agreement its coordinators (of any party) and site admins may change; members see 403, others 404."""
    agreement = get_agreement_for(user, agreement_id)
    if not is_agreement_coordinator(user, agreement):
        raise PermissionDenied(_("Chỉ bộ phận điều phối của các bên mới sửa được thỏa thuận."))
    return agreement
