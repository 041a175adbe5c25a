"""Django admin: every model is there, with Vietnamese names, and every page opens."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.support import pdf_bytes

pytestmark = pytest.mark.django_db


def test_every_model_of_the_project_is_registered():
    from django.apps import apps

    ours = [m for app in ("core", "agreements", "reporting", "meetings") for m in apps.get_app_config(app).get_models()]
    # CacheEntry is the table of Django's database cache (figures recomputed at will), not data anyone edits.
    missing = [m.__name__ for m in ours if m not in admin.site._registry and m.__name__ != "CacheEntry"]
    assert not missing, missing


def test_changelists_and_add_pages_open(client, users):
    client.force_login(users["admin"])
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("core", "agreements", "reporting", "meetings"):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": users["admin"]})()):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200, info


def test_admin_speaks_vietnamese(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert "thỏa thuận hợp tác" in page.lower()


def test_signed_document_is_checked_by_content(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.models import Agreement

    agreement = Agreement.objects.get(signed_on="2011-10-14")
    fake = SimpleUploadedFile("thoa-thuan.pdf", b"<html>not a scan</html>", content_type="application/pdf")
    agreement.signed_document = fake
    with pytest.raises(Exception) as exc:
        agreement.full_clean()
    assert "phải là tệp PDF hoặc ảnh chụp" in str(exc.value)
    agreement.signed_document = SimpleUploadedFile("thoa-thuan.pdf", pdf_bytes())
    agreement.full_clean()


def autocomplete(client, model_name: str, field_name: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "agreements", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_autocomplete_finds_units_and_bodies_without_diacritics_each_with_its_period(client, users):
    client.force_login(users["admin"])
    for typed in ("tay ninh", "Tây Ninh", "TÂY NINH"):
        assert sorted(autocomplete(client, "body", "unit", typed)) == [
            "Tỉnh Tây Ninh",
            "Tỉnh Tây Ninh (đến 30/06/2025)",
        ]
    assert autocomplete(client, "body", "unit", "thua thien") == ["Thành phố Huế"]  # by its former name
    ubnds = autocomplete(client, "party", "body", "ubnd tay ninh")
    assert sorted(ubnds) == ["Ủy ban nhân dân tỉnh Tây Ninh", "Ủy ban nhân dân tỉnh Tây Ninh (đến 30/06/2025)"]
    departments = autocomplete(client, "party", "body", "sct tay ninh")
    assert sorted(departments) == ["Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Tây Ninh (đến 30/06/2025)"]
    assert autocomplete(client, "party", "body", "skhđt") == ["Sở Kế hoạch và Đầu tư tỉnh Long An (đến 28/02/2025)"]


def test_admin_lists_never_show_two_identical_names(client, users):
    from agreements.models import AdministrativeUnit, Body

    client.force_login(users["admin"])
    for model in (AdministrativeUnit, Body):
        labels = [str(obj) for obj in model.objects.select_related()]
        assert len(labels) == len(set(labels)), model
        page = client.get(reverse(f"admin:agreements_{model._meta.model_name}_changelist"), {"q": "quang tri"})
        assert "(đến 30/06/2025)" in page.content.decode()


def test_commitment_targets_are_typed_the_vietnamese_way(rf, users):
    from decimal import Decimal

    from django.core.exceptions import ValidationError
    from django.utils import translation

    from agreements.models import Commitment

    request = rf.get("/")
    request.user = users["admin"]
    form_class = admin.site._registry[Commitment].get_form(request, obj=Commitment.objects.first())
    target = form_class.base_fields["target"]
    with translation.override("vi"):
        assert target.clean("101.000") == Decimal(101000)
        with pytest.raises(ValidationError, match=r"101\.000"):
            target.clean("4.3")
    with translation.override("en"):
        assert target.clean("101,000") == Decimal(101000)


def test_the_agreement_form_lists_items_as_rows_with_their_other_sectors_on_the_items_own_form(client, users):
    from agreements.models import CooperationItem, Sector
    from tests.support import programme

    item = CooperationItem.objects.filter(agreement=programme()).order_by("number").first()
    item.other_sectors.set(Sector.objects.filter(code__in=["tourism", "investment"]))
    client.force_login(users["admin"])
    page = client.get(reverse("admin:agreements_agreement_change", args=[programme().pk])).content.decode()
    assert 'name="items-0-sector"' in page and 'name="items-0-other_sectors"' not in page
    assert reverse("admin:agreements_cooperationitem_change", args=[item.pk]) in page
    shown = ", ".join(str(sector) for sector in item.other_sectors.all())
    assert shown in page
    # No add/change links of the sectors' table beside each row's select.
    assert "add_id_items-0-sector" not in page and "change_id_items-0-sector" not in page
    item_page = client.get(reverse("admin:agreements_cooperationitem_change", args=[item.pk])).content.decode()
    assert 'name="other_sectors"' in item_page
