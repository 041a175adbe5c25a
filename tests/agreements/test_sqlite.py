"""The merger's migrations, the province and title search on SQLite (`make run`'s database), in a second process.

The suite runs on PostgreSQL; the search reads only folded columns (`search_name`) with plain LIKE,
so it needs no extension, and this proves it on the other engine: a fresh SQLite database is
migrated to 0006, given the bodies the demo had before this change (UBNDs keyed as the demo keys
them, a department with no end typed), migrated forward, searched through the filter and the list
page, migrated back to 0006 and forward again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

SCRIPT = r"""
import datetime as dt

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import setup_test_environment

assert connection.vendor == "sqlite", connection.vendor
call_command("migrate", "agreements", "0006", verbosity=0)
before = MigrationExecutor(connection).loader.project_state(("agreements", "0006_auditentry_to_core")).apps
OldUnit = before.get_model("agreements", "AdministrativeUnit")
OldBody = before.get_model("agreements", "Body")
long_an = OldUnit.objects.get(key="tinhlongan", valid_from=None)
tay_ninh = OldUnit.objects.get(key="tinhtayninh", valid_from=dt.date(2025, 7, 1))
new_ubnd = OldBody.objects.create(
    kind="peoples_committee", name="Ủy ban nhân dân tỉnh Tây Ninh", unit=tay_ninh,
    valid_from=dt.date(2025, 7, 1), abbreviation="UBND",
)
old_ubnd = OldBody.objects.create(
    kind="peoples_committee", name="Ủy ban nhân dân tỉnh Long An", unit=long_an,
    valid_to=dt.date(2025, 6, 30), successor=new_ubnd, abbreviation="UBND",
)
department = OldBody.objects.create(kind="department", name="Sở Công Thương tỉnh Long An", unit=long_an, parent=old_ubnd)
# An administrator's UBND under another name, with no end typed: completed, not doubled.
ben_tre = OldBody.objects.create(
    kind="peoples_committee", name="UBND tỉnh Bến Tre", unit=OldUnit.objects.get(key="tinhbentre", valid_from=None)
)

call_command("migrate", verbosity=0)

from django.contrib.auth.models import User

from agreements.filters import AgreementFilter
from agreements.models import AdministrativeUnit, Agreement, Body, Party

UBND = Body.Kind.PEOPLES_COMMITTEE
assert Body.objects.filter(kind=UBND).count() == AdministrativeUnit.objects.count() == 86
assert Body.objects.get(kind=UBND, unit__key="tinhlongan").pk == old_ubnd.pk, "the existing UBND was doubled"
assert Body.objects.get(kind=UBND, unit__key="tinhtayninh", unit__valid_from__isnull=False).pk == new_ubnd.pk
department = Body.objects.get(pk=department.pk)
assert (department.valid_to, department.function) == (dt.date(2025, 6, 30), "Sở Công Thương"), department.__dict__
assert department.search_name == "so cong thuong tinh long an", department.search_name
ben_tre = Body.objects.get(pk=ben_tre.pk)
assert Body.objects.get(kind=UBND, unit__key="tinhbentre") == ben_tre and ben_tre.name == "UBND tỉnh Bến Tre"
assert (ben_tre.valid_to, ben_tre.successor.name) == (dt.date(2025, 6, 30), "Ủy ban nhân dân tỉnh Vĩnh Long")
assert (ben_tre.function, ben_tre.abbreviation) == ("Ủy ban nhân dân", "UBND")

ha_nam = Body.objects.get(kind=UBND, unit__key="tinhhanam")
ha_noi = Body.objects.get(kind=UBND, unit__key="thanhphohanoi")
agreement = Agreement.objects.create(
    title="Chương trình hợp tác phát triển du lịch", signed_on=dt.date(2023, 5, 10),
    period_start=dt.date(2023, 5, 10), period_end=dt.date(2027, 5, 10),
)
Party.objects.create(agreement=agreement, body=ha_nam, order=1)
Party.objects.create(agreement=agreement, body=ha_noi, order=2)
for typed in ("ninh binh", "Ninh Bình", "NINH BÌNH", "tỉnh hà nam"):
    found = list(AgreementFilter({"q": typed}, queryset=Agreement.objects.all()).qs)
    assert found == [agreement], (typed, found)
assert not AgreementFilter({"q": "Đồng Nai"}, queryset=Agreement.objects.all()).qs.exists()
for typed in ("du lịch", "DU LICH", "phat trien du lich"):  # a title, folded by core.search's SQLite function
    found = list(AgreementFilter({"q": typed}, queryset=Agreement.objects.all()).qs)
    assert found == [agreement], (typed, found)
ninh_binh = AdministrativeUnit.objects.get(key="tinhninhbinh", valid_to__isnull=True)
assert list(AgreementFilter({"province": ninh_binh.pk}, queryset=Agreement.objects.all()).qs) == [agreement]

setup_test_environment()
client = Client()
client.force_login(User.objects.create_superuser("admin", password="x"))
page = client.get("/agreements/", {"q": "NINH BÌNH"})
assert page.status_code == 200 and list(page.context["filter"].qs) == [agreement]
assert "Hà Nam" in page.content.decode() and "Tỉnh Ninh Bình (từ 01/07/2025 gồm cả Hà Nam, Nam Định)" in page.content.decode()

call_command("migrate", "agreements", "0006", verbosity=0)
with connection.cursor() as cursor:  # back: only the UBNDs nothing refers to are gone
    cursor.execute("SELECT name FROM agreements_body WHERE kind = 'peoples_committee' ORDER BY name")
    kept = [name for (name,) in cursor.fetchall()]
assert kept == [
    "UBND tỉnh Bến Tre",  # typed by an administrator
    "Ủy ban nhân dân thành phố Hà Nội",  # a party
    "Ủy ban nhân dân tỉnh Hà Nam",  # a party
    "Ủy ban nhân dân tỉnh Long An",  # the parent of a department
    "Ủy ban nhân dân tỉnh Ninh Bình",  # Hà Nam's successor
    "Ủy ban nhân dân tỉnh Tây Ninh",  # Long An's successor
    "Ủy ban nhân dân tỉnh Vĩnh Long",  # Bến Tre's successor
], kept
call_command("migrate", verbosity=0)
assert Body.objects.filter(kind=UBND).count() == 86
print("sqlite ok")
"""


def test_migrations_and_province_search_on_sqlite(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "coopportal.settings",
        "DEBUG": "true",
        "COOPPORTAL_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip().endswith("sqlite ok")
