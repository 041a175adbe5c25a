"""The scan of a signed agreement is downloaded through the app, by the parties' members only: no public URL
serves uploads (issue 12, uploads served only through a permission-checked view)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from tests.support import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def scanned(data: bytes, name: str = "Thỏa thuận đã ký.pdf") -> Agreement:
    agreement = Agreement.objects.get(signed_on="2011-10-14")  # Long An and Tây Ninh, 2011
    agreement.signed_document = SimpleUploadedFile(name, data)
    agreement.full_clean()
    agreement.save()
    return agreement


def download(client, users, username: str, agreement: Agreement):
    client.force_login(users[username])
    return client.get(reverse("agreement_signed_document", args=[agreement.pk]))


@pytest.mark.parametrize("username", ["la.staff", "la.coord", "tn.leader", "admin"])
def test_the_parties_members_download_it_as_an_attachment(client, users, media, username):
    agreement = scanned(pdf_bytes())
    response = download(client, users, username, agreement)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Named after the agreement's number, never the name it was uploaded under.
    number = agreement.number.casefold().replace("/", "").replace(" ", "-")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "van-ban-da-ky-" in response["Content-Disposition"] and "Th" not in response["Content-Disposition"]
    assert number[:3] in response["Content-Disposition"]


def test_a_photo_is_served_as_the_image_it_is(client, users, media):
    agreement = scanned(png_bytes(), name="thoa-thuan.pdf")
    response = download(client, users, "la.coord", agreement)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')


@pytest.mark.parametrize("username", ["tg.coord", "tg.leader"])
def test_outsiders_are_told_nothing_exists(client, users, media, username):
    assert download(client, users, username, scanned(pdf_bytes())).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, media):
    agreement = scanned(pdf_bytes())
    response = client.get(reverse("agreement_signed_document", args=[agreement.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_agreement_without_a_scan_has_no_download_and_no_link(client, users):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    assert not agreement.signed_document
    assert download(client, users, "la.coord", agreement).status_code == 404
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert reverse("agreement_signed_document", args=[agreement.pk]) not in page


def test_the_agreement_page_links_to_it(client, users, media):
    agreement = scanned(pdf_bytes())
    client.force_login(users["tn.staff"])
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert f'href="{reverse("agreement_signed_document", args=[agreement.pk])}"' in page
    assert "Tải văn bản đã ký" in page
