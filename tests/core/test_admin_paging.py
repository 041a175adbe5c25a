"""Every admin list of ours, and the users', pages by 50 rows with no second count of the whole table
(core.admin.ListPaging): at national scale a page of 100 commitments took half a second to draw."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from agreements.models import Commitment

OURS = {"core", "agreements", "reporting", "meetings", "notifications"}


def test_every_list_of_ours_pages_by_50_without_a_full_count():
    checked = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OURS or model is User  # Django's groups are a handful: left as Django has them
    ]
    assert User in admin.site._registry and len(checked) > 20
    for model_admin in checked:
        assert (model_admin.list_per_page, model_admin.show_full_result_count) == (50, False), model_admin


@pytest.mark.django_db
def test_a_filtered_list_counts_only_what_it_shows(demo, admin_client):
    response = admin_client.get(reverse("admin:agreements_commitment_changelist"), {"status": "delayed"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.list_per_page == 50 and changelist.full_result_count is None
    assert changelist.result_count == Commitment.objects.filter(status="delayed").count()
