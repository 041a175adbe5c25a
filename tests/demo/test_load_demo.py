import io
import re
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from agreements.models import Agreement, Body, Commitment, CooperationItem, Membership, Party
from core.models import AuditEntry
from demo import data
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from tests.support import SEEDS, needs_seeds

pytestmark = pytest.mark.django_db

MODELS = [
    Agreement,
    Party,
    CooperationItem,
    Commitment,
    Body,
    Membership,
    ReportingPeriod,
    ProgressReport,
    ProgressEntry,
]


def snapshot():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS} | {
        "commitments": sorted(Commitment.objects.values_list("description", "target", "responsible_party__body__name")),
        "supporting": sorted(Commitment.supporting_bodies.through.objects.values_list("commitment_id", "body_id")),
    }


def test_load_demo_twice_gives_the_same_data(capsys):
    call_command("load_demo", force=True)
    first = snapshot()
    audited = AuditEntry.objects.count()  # the illustrative reports went through the workflow once
    call_command("load_demo", force=True)
    assert snapshot() == first
    assert AuditEntry.objects.count() == audited  # the second run adds no audit entry


def seed_items() -> list[str]:
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    return [m.group(2).strip() for m in re.finditer(r"^(\d)\. (.+)$", text, re.MULTILINE)]


@needs_seeds
def test_2011_agreement_is_the_seed_verbatim(demo):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert agreement.signed_at == "Sở Công Thương tỉnh Tây Ninh"
    assert agreement.period_label == "2011–2015"
    assert (agreement.reporting_cadence_months, agreement.meeting_cadence_months) == (6, 12)
    assert agreement.objectives in unicodedata.normalize("NFC", seed)
    items = [item.text for item in agreement.items.order_by("number")]
    assert items == seed_items() and len(items) == 9
    offices = [p.coordinating_office.name for p in agreement.parties.select_related("coordinating_office")]
    assert all(name.startswith("Phòng Kế hoạch - Tài chính") for name in offices) and len(offices) == 2


def test_2024_cooperation_has_three_parties_and_concrete_commitments(demo):
    agreement = Agreement.objects.get(kind="programme")
    assert sorted(p.body.unit.short_name for p in agreement.parties.all()) == ["Long An", "Tiền Giang", "Tây Ninh"]
    descriptions = " ".join(Commitment.objects.filter(item__agreement=agreement).values_list("description", flat=True))
    for product in ["thanh long", "chanh không hạt", "gạo hữu cơ", "cao su", "tinh bột sắn", "đường mía"]:
        assert product in descriptions
    assert "cơ sở dữ liệu thương mại điện tử liên vùng" in descriptions


def test_2021_targets_are_indicators(demo):
    ccn = Commitment.objects.get(indicator_unit="cụm công nghiệp")
    assert (ccn.baseline, ccn.target) == (0, 4)
    export = Commitment.objects.get(indicator_name="Kim ngạch xuất khẩu")
    assert (str(export.target), export.indicator_unit) == ("6.6000", "tỉ USD")


def test_merger_makes_long_an_tay_ninh_internal(demo):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    assert agreement.is_internal_today()
    assert not Agreement.objects.get(kind="programme").is_internal_today()  # Tiền Giang is now Đồng Tháp


def test_bodies_have_successors(demo):
    skhdt = Body.objects.get(name="Sở Kế hoạch và Đầu tư tỉnh Long An")
    assert skhdt.current().name == "Sở Tài chính tỉnh Tây Ninh"
    assert Body.objects.get(name="Sở Công Thương tỉnh Long An").current().unit.code == "80"


def test_load_demo_twice_leaves_every_row_as_it_was_timestamps_included(demo, travel):
    """A second run an hour later writes nothing: no `updated_at` moves, whatever the model."""
    import datetime

    from django.apps import apps

    from tests.support import FROZEN_AT

    def rows() -> dict[str, list[tuple]]:
        found = {}
        for model in apps.get_models():
            if model._meta.app_label in ("core", "agreements", "reporting", "meetings"):
                fields = [f.attname for f in model._meta.concrete_fields]
                found[model._meta.label] = sorted(model.objects.values_list(*fields), key=repr)
        return found

    call_command("load_demo", force=True)
    before = rows()
    travel(FROZEN_AT + datetime.timedelta(hours=1))
    call_command("load_demo", force=True)
    assert rows() == before


# --- never on a real server by accident (issue 12, point 7) -----------------------------------------


def test_with_debug_off_it_refuses_and_writes_nothing(settings):
    """DEBUG off is a real server: the demo's superuser `admin` with the published password must not appear."""
    settings.DEBUG = False
    get_user_model().objects.filter(username="admin").update(username="admin-before")  # as on a new server
    with pytest.raises(CommandError, match="DEBUG đang tắt") as refused:
        call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert "--force" in str(refused.value) and "“admin”" in str(refused.value)
    assert not get_user_model().objects.filter(username="admin").exists()


def test_with_debug_off_force_loads_and_warns(settings):
    settings.DEBUG = False
    get_user_model().objects.filter(username="admin").update(username="admin-before")  # as on a new server
    err = io.StringIO()
    call_command("load_demo", force=True, stdout=io.StringIO(), stderr=err)
    assert "CẢNH BÁO" in err.getvalue() and data.DEMO_PASSWORD in err.getvalue()
    assert get_user_model().objects.get(username="admin").check_password(data.DEMO_PASSWORD)


def test_with_debug_on_it_loads_without_a_warning(settings):
    settings.DEBUG = True
    err = io.StringIO()
    call_command("load_demo", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
