"""Django admin: every model is there, with Vietnamese names, and every page opens."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_of_the_project_is_registered():
    from django.apps import apps

    ours = [m for app in ("core", "agreements", "reporting", "meetings") for m in apps.get_app_config(app).get_models()]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
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
    agreement.signed_document = SimpleUploadedFile("thoa-thuan.pdf", b"%PDF-1.4\n%%EOF\n")
    agreement.full_clean()
