"""Data safety: an agreement with reports is archived, never deleted; a body with members or parties stays.

The ORM refuses (ProtectedError), and the admin's delete pages say so in Vietnamese and delete nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse

from agreements.models import Agreement, Body, Commitment, Membership, Party
from agreements.services import AgreementError, archive_agreement
from core.models import AuditEntry
from reporting.models import ProgressReport, ReportingPeriod
from tests.support import programme

pytestmark = pytest.mark.django_db

AGREEMENT_REFUSED = "Không thể xóa thỏa thuận"
BODY_REFUSED = "Không thể xóa cơ quan"


def plan() -> Agreement:
    """Long An's 2021 plan: commitments but no reports (history in the demo), and expired."""
    return Agreement.objects.get(kind=Agreement.Kind.PLAN)


def a_new_body() -> Body:
    unit = Body.objects.get(name="Sở Công Thương tỉnh Long An").unit
    return Body.objects.create(kind=Body.Kind.OFFICE, name="Phòng Thử nghiệm", unit=unit)


def counts() -> tuple[int, int, int, int]:
    return (Agreement.objects.count(), Party.objects.count(), ProgressReport.objects.count(), Body.objects.count())


# --- the ORM ------------------------------------------------------------------------------------


def test_an_agreement_with_reports_cannot_be_deleted(demo: None) -> None:
    agreement = programme()
    assert ProgressReport.objects.filter(party__agreement=agreement).exists()
    before = counts()
    with pytest.raises(ProtectedError) as refused, transaction.atomic():
        agreement.delete()
    assert any(isinstance(obj, ProgressReport) for obj in refused.value.protected_objects)
    assert counts() == before


def test_a_party_with_reports_cannot_be_removed(demo: None) -> None:
    party = programme().parties.first()
    assert party is not None
    with pytest.raises(ProtectedError), transaction.atomic():
        party.delete()
    assert Party.objects.filter(pk=party.pk).exists()


def test_an_agreement_without_reports_is_deleted_whole(demo: None) -> None:
    agreement = plan()
    assert not ProgressReport.objects.filter(party__agreement=agreement).exists()
    commitments = Commitment.objects.filter(item__agreement=agreement)
    assert commitments.exists()
    agreement.delete()
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    assert not Commitment.objects.filter(item__agreement_id=agreement.pk).exists()


def test_a_party_with_commitments_cannot_be_removed_alone(demo: None) -> None:
    party = Commitment.objects.filter(item__agreement=plan()).first().responsible_party
    with pytest.raises(RestrictedError), transaction.atomic():
        party.delete()
    assert Party.objects.filter(pk=party.pk).exists()


def test_a_body_with_members_cannot_be_deleted(demo: None, users: dict[str, Any]) -> None:
    body = a_new_body()
    Membership.objects.create(user=users["la.staff"], body=body, role="staff")
    with pytest.raises(ProtectedError), transaction.atomic():
        body.delete()
    assert Membership.objects.filter(body=body).count() == 1


def test_a_body_that_is_a_party_cannot_be_deleted(demo: None) -> None:
    body = a_new_body()
    Party.objects.create(agreement=plan(), body=body, order=9)
    with pytest.raises(ProtectedError), transaction.atomic():
        body.delete()
    assert Body.objects.filter(pk=body.pk).exists()


def test_a_body_with_nothing_attached_can_be_deleted(demo: None) -> None:
    body = a_new_body()
    body.delete()
    assert not Body.objects.filter(pk=body.pk).exists()


# --- archiving instead --------------------------------------------------------------------------


def test_archiving_keeps_the_agreement_and_its_history(demo: None, users: dict[str, Any]) -> None:
    agreement = plan()
    archived = archive_agreement(users["admin"], agreement)
    assert archived.archived_at is not None
    assert AuditEntry.objects.filter(action="agreement.archived", object_id=agreement.pk).exists()
    assert Commitment.objects.filter(item__agreement=agreement).exists()


def test_an_agreement_in_force_is_not_archived(demo: None, users: dict[str, Any]) -> None:
    with pytest.raises(AgreementError, match="đang hiệu lực nên chưa lưu trữ được"):
        archive_agreement(users["admin"], programme())
    assert programme().archived_at is None


def test_an_archived_agreement_cannot_be_put_back_in_force(demo: None, users: dict[str, Any]) -> None:
    agreement = archive_agreement(users["admin"], plan())
    agreement.status = Agreement.Status.IN_FORCE
    with pytest.raises(IntegrityError, match="agreement_archived_not_in_force"), transaction.atomic():
        agreement.save()


# --- the admin ----------------------------------------------------------------------------------


def test_admin_delete_page_of_an_agreement_with_reports_refuses(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    agreement = programme()
    url = reverse("admin:agreements_agreement_delete", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert AGREEMENT_REFUSED in page
    assert "Lưu trữ các thỏa thuận đã chọn" in page  # where to go instead
    assert "Báo cáo tiến độ" in page  # what stands in the way
    assert 'name="post"' not in page  # no confirmation form
    before = counts()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert AGREEMENT_REFUSED in response.content.decode()
    assert counts() == before


def test_admin_bulk_delete_of_an_agreement_with_reports_refuses(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    url = reverse("admin:agreements_agreement_changelist")
    selected = [programme().pk, plan().pk]
    before = counts()
    page = client.post(url, {"action": "delete_selected", "_selected_action": selected}).content.decode()
    assert "Không thể xóa các thỏa thuận đã chọn" in page
    client.post(url, {"action": "delete_selected", "_selected_action": selected, "post": "yes"})
    assert counts() == before


def test_admin_deletes_an_agreement_without_reports(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    agreement = plan()
    url = reverse("admin:agreements_agreement_delete", args=[agreement.pk])
    assert AGREEMENT_REFUSED not in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_admin_delete_page_of_a_body_with_members_refuses(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    body = Body.objects.get(name="Sở Công Thương tỉnh Long An")
    url = reverse("admin:agreements_body_delete", args=[body.pk])
    page = client.get(url).content.decode()
    assert BODY_REFUSED in page
    assert "ghi ngày hết hiệu lực và cơ quan kế thừa" in page
    before = counts()
    client.post(url, {"post": "yes"})
    assert counts() == before
    bulk = client.post(
        reverse("admin:agreements_body_changelist"), {"action": "delete_selected", "_selected_action": [body.pk]}
    )
    assert "Không thể xóa các cơ quan đã chọn" in bulk.content.decode()


def test_admin_refuses_to_delete_a_period_with_reports(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    period = ReportingPeriod.objects.filter(reports__isnull=False).first()
    assert period is not None
    url = reverse("admin:reporting_reportingperiod_delete", args=[period.pk])
    page = client.get(url).content.decode()
    assert "Báo cáo tiến độ" in page and 'name="post"' not in page
    client.post(url, {"post": "yes"})
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_admin_archive_action_hides_the_agreement_from_the_lists(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    changelist = reverse("admin:agreements_agreement_changelist")
    agreement = plan()
    response = client.post(changelist, {"action": "archive", "_selected_action": [agreement.pk]}, follow=True)
    assert "Đã lưu trữ 1 thỏa thuận" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.archived_at is not None
    # Off the admin's default list and the app's list; found again with the filter.
    assert agreement.title not in client.get(changelist).content.decode()
    assert agreement.title in client.get(changelist, {"archived": "yes"}).content.decode()
    assert agreement.title not in client.get(reverse("agreement_list")).content.decode()
    client.post(f"{changelist}?archived=yes", {"action": "unarchive", "_selected_action": [agreement.pk]})
    agreement.refresh_from_db()
    assert agreement.archived_at is None
    assert agreement.title in client.get(reverse("agreement_list")).content.decode()


def test_admin_archive_action_refuses_an_agreement_in_force(client: Any, users: dict[str, Any]) -> None:
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "archive", "_selected_action": [programme().pk]},
        follow=True,
    )
    assert "đang hiệu lực nên chưa lưu trữ được" in response.content.decode()
    assert programme().archived_at is None


@pytest.mark.parametrize("username", ["la.coord", "la.leader", "la.staff"])
def test_members_without_admin_rights_reach_no_delete_page(client: Any, users: dict[str, Any], username: str) -> None:
    client.force_login(users[username])
    response = client.post(reverse("admin:agreements_agreement_delete", args=[plan().pk]), {"post": "yes"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Agreement.objects.filter(pk=plan().pk).exists()
