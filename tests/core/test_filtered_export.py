"""A filter value a list cannot use (core.tabular.filtered_export, templates/_filter_errors.html): the list's page
says so above its rows, and its exports refuse with a page that names it instead of a file of every row."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

# Each list, a filter of choices, and the label the page gives that filter.
LISTS = [
    ("/agreements/", "status", "Tình trạng"),
    ("/commitments/", "status", "Tình trạng"),
    ("/reports/", "state", "Trạng thái"),
    ("/meetings/", "kind", "Loại cuộc họp"),
    ("/documents/", "kind", "Loại văn bản"),
]


@pytest.mark.parametrize(("path", "field", "label"), LISTS)
def test_a_value_that_is_none_of_the_choices_is_said_on_the_page_and_refused_by_the_exports(
    client, users, path, field, label
):
    client.force_login(users["la.coord"])
    page = client.get(path, {field: "nonsense", "o": "bogus"})
    assert page.status_code == 200
    assert f'<li class="msg msg-error">{label}: Hãy chọn một lựa chọn hợp lệ.' in page.content.decode()
    for fmt in ("xlsx", "csv"):
        refused = client.get(f"{path}export.{fmt}", {field: "nonsense"})
        assert refused.status_code == 400 and refused["Content-Type"].startswith("text/html")
        text = refused.content.decode()
        assert "Không tải được danh sách" in text and f"{label}: Hãy chọn một lựa chọn hợp lệ." in text
        assert f'href="{path}?{field}=nonsense"' in text  # back to the list as it was asked
        assert client.get(f"{path}export.{fmt}").status_code == 200  # no filter: the file


def test_the_refusal_is_in_english_when_english_is_chosen(client, users):
    client.force_login(users["la.coord"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = client.get("/commitments/export.csv", {"due_after": "2025-02-30"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "The list could not be downloaded" in text and "Enter a valid date." in text


# Each list's date range and the label its page gives it.
RANGES = [
    ("/commitments/", "due", "Thời hạn (từ – đến)"),
    ("/reports/", "deadline", "Hạn nộp (từ – đến)"),
    ("/meetings/", "held", "Ngày họp (từ – đến)"),
    ("/documents/", "issued", "Ngày ban hành (từ – đến)"),
]


@pytest.mark.parametrize(("path", "field", "label"), RANGES)
def test_a_range_that_ends_before_it_starts_is_said_not_answered_with_an_empty_list(client, users, path, field, label):
    client.force_login(users["la.coord"])
    reversed_range = {f"{field}_after": "2026-12-31", f"{field}_before": "2020-01-01"}
    page = client.get(path, reversed_range).content.decode()
    assert f"{label}: Ngày đầu (từ) phải trước hoặc trùng ngày cuối (đến)." in page
    assert client.get(f"{path}export.csv", reversed_range).status_code == 400
    one_day = {f"{field}_after": "2026-06-30", f"{field}_before": "2026-06-30"}  # from and to the same day: fine
    assert "msg-error" not in client.get(path, one_day).content.decode()
    assert client.get(f"{path}export.csv", one_day).status_code == 200
