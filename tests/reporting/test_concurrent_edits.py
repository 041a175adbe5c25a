"""Two people saving the same entry or report: the second save is refused and shown what changed."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from agreements.models import Membership
from reporting import workflow as services
from reporting.models import ProgressEntry, ProgressReport
from tests.support import form_data, track_history


@pytest.fixture
def second_staff(demo, la_report):
    user = get_user_model().objects.create_user("la.staff2", first_name="Chuyên viên", last_name="Hai")
    Membership.objects.create(user=user, body=la_report.party.body, role="staff")
    return user


@pytest.mark.django_db
def test_second_save_is_refused_with_the_difference(la_report, users, second_staff):
    url = reverse("report_edit", args=[la_report.pk])
    alice, bob = Client(), Client()
    alice.force_login(users["la.staff"])
    bob.force_login(second_staff)
    entry = la_report.entries.order_by("commitment__item__number").first()
    prefix = f"e{entry.pk}"
    a, b = form_data(alice, url), form_data(bob, url)

    a[f"{prefix}-results"] = "Kết quả do Alice nhập"
    assert alice.post(url, a).status_code == 302
    b[f"{prefix}-results"] = "Kết quả do Bob nhập"
    b["report-overall_assessment"] = "Đánh giá của Bob"
    response = bob.post(url, b)

    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác lưu trước bạn; chưa có gì được lưu" in page
    assert "Kết quả do Alice nhập" in page and "Kết quả do Bob nhập" in page  # stored value and Bob's value
    entry.refresh_from_db()
    la_report.refresh_from_db()
    assert entry.results == "Kết quả do Alice nhập"
    assert la_report.overall_assessment == ""  # all or nothing: Bob's other change was not half-saved

    # Bob's form now carries the stored version: saving again is his deliberate choice.
    rebased = response.context["rows"][0]["form"]
    assert rebased["version"].value() == str(entry.version)
    b2 = form_data_from_response(response)
    assert bob.post(url, b2).status_code == 302
    entry.refresh_from_db()
    la_report.refresh_from_db()
    assert entry.results == "Kết quả do Bob nhập" and la_report.overall_assessment == "Đánh giá của Bob"
    assert entry.revisions.count() == 2


def form_data_from_response(response) -> dict[str, str]:
    data: dict[str, str] = {}
    for form in [response.context["report_form"], *[row["form"] for row in response.context["rows"]]]:
        data.update({k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"})
    return data


@pytest.mark.django_db
def test_untouched_entries_are_not_conflicts(la_report, users, second_staff):
    url = reverse("report_edit", args=[la_report.pk])
    alice, bob = Client(), Client()
    alice.force_login(users["la.staff"])
    bob.force_login(second_staff)
    first, second = la_report.entries.order_by("commitment__item__number")[:2]
    a, b = form_data(alice, url), form_data(bob, url)
    a[f"e{first.pk}-status"] = "on_track"  # 30% of a commitment "not started" is refused
    a[f"e{first.pk}-percent_complete"] = "30"
    assert alice.post(url, a).status_code == 302
    b[f"e{second.pk}-status"] = "on_track"
    b[f"e{second.pk}-percent_complete"] = "50"
    assert bob.post(url, b).status_code == 302  # Bob left Alice's entry alone: nothing to refuse
    assert list(la_report.entries.order_by("commitment__item__number").values_list("percent_complete", flat=True))[
        :2
    ] == [30, 50]


@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_at_once(demo):
    track_history()  # the demo keeps the 2011 agreement as history
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__signed_on="2011-10-14", period__year=2011
    )
    user = report.party.body.memberships.get(role="staff").user
    entry = report.entries.first()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            services.save_entry(user, ProgressEntry.objects.get(pk=entry.pk), {"results": text}, 1)
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("một", "hai")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "saved"]
    entry.refresh_from_db()
    assert entry.version == 2 and entry.revisions.count() == 1
