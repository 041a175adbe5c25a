"""The list of agreements (agreements.views.agreement_list), and the same list on the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_agreement_lists_count_every_party(client, users):
    client.force_login(users["la.staff"])
    for name in ("home", "agreement_list"):
        response = client.get(reverse(name))
        counts = {
            a.title[:30]: a.party_count for a in (response.context.get("agreements") or response.context["filter"].qs)
        }
        assert sorted(counts.values()) == [2, 2, 3], (name, counts)
