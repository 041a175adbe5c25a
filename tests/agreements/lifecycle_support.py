"""What the tests of an agreement's life share (agreements/lifecycle_views.py): the demo's agreements and a
coordinator of today's merged department, who answers for the former Long An and Tây Ninh departments."""

from __future__ import annotations

from django.contrib.auth.models import User

from agreements.models import Agreement, Body, Membership, Role
from demo.data import DEMO_PASSWORD

TODAY_SCT_TN = "Sở Công Thương tỉnh Tây Ninh"


def merged_coordinator(username: str = "sct.tn.coord") -> User:
    """A coordinator of today's Sở Công Thương tỉnh Tây Ninh (from 01/07/2025), with no admin rights: the demo's
    la.* and tn.* belong to the departments that ended with their provinces."""
    body = Body.objects.get(name=TODAY_SCT_TN, valid_to__isnull=True)
    user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name="Điều phối", last_name="Tây Ninh")
    Membership.objects.create(user=user, body=body, role=Role.COORDINATOR, title="Trưởng phòng Kế hoạch - Tài chính")
    return user


def agreement_2011() -> Agreement:
    return Agreement.objects.get(signed_on="2011-10-14")


def programme() -> Agreement:
    return Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)
