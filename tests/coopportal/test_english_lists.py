"""The lists and their exports in English say what each column holds: one agreement's title is "Agreement",
one period "Reporting period", the column of on time or late "Timeliness"; a list of many is plural (found by
the probe of the lists: "Agreements" over one title, "Cooperation agreement" over the list)."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, users):
    client.force_login(users["la.coord"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>|[▲▼↑↓]", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]


@pytest.mark.parametrize(
    ("path", "title"),
    [("/agreements/", "Cooperation agreements"), ("/commitments/", "Commitments"), ("/reports/", "Reports")],
)
def test_a_list_is_named_in_the_plural(english, path, title):
    assert f"<h1>{title}</h1>" in english.get(path).content.decode()


@pytest.mark.parametrize("path", ["/commitments/", "/reports/", "/meetings/", "/documents/"])
def test_the_column_of_one_agreement_is_agreement(english, path):
    columns = headings(english.get(path).content.decode())
    assert "Agreement" in columns and "Agreements" not in columns, columns


def test_the_reports_export_names_its_columns_for_one_row(english):
    sheet = openpyxl.load_workbook(io.BytesIO(english.get("/reports/export.xlsx").getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Agreement", "Reporting period"], header
    assert header[-1] == "Timeliness" and "Due date" not in header, header


def test_the_agreements_export_is_a_sheet_of_cooperation_agreements(english):
    workbook = openpyxl.load_workbook(io.BytesIO(english.get("/agreements/export.xlsx").getvalue()))
    assert workbook.active.title == "Cooperation agreements"


def test_the_top_bar_names_each_list_in_the_plural(english):
    nav = re.search(r"<nav>(.*?)</nav>", english.get("/").content.decode(), re.S).group(1)
    names = [name.strip() for name in re.findall(r">([^<]+)</a>", nav)]
    assert names[:7] == ["My tasks", "Overview", "Agreements", "Commitments", "Reports", "Meetings", "Documents"]
