"""The load test's data: N departments in one programme in force, each with a staff member and a draft report.

Usage (bench/loadtest/run.py calls it; DATABASE_URL names a migrated database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopportal_loadtest DEBUG=true \\
        .venv/bin/python bench/loadtest/seed.py --users 50 --commitments 10

Each department (a Sở Công Thương, then a Sở Khoa học và Công nghệ, of today's 34 provinces) is one party
of the programme "Chương trình thử tải ..." and leads --commitments commitments, so each staff member
(loadtest.staff01, ...; password LOADTEST_PASSWORD) edits a report of that many entries, as a department
does in a half-year.  The periods are opened by the workflow itself (open_reporting_periods), on the real
day, so the newest report of each party is a draft.  Running it again reuses everything; entries keep what
earlier runs saved (the check after a run compares versions, not texts).

It prints one JSON object: {"users": [{"username", "report", "entries"}...]}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopportal.settings")

LOADTEST_PASSWORD = "coopportal-loadtest"  # benchmark accounts on a throwaway database
USER_PREFIX = "loadtest.staff"
TITLE = "Chương trình thử tải: các sở cùng báo cáo tiến độ"
FUNCTIONS = [("Sở Công Thương", "SCT"), ("Sở Khoa học và Công nghệ", "SKHCN"), ("Sở Tài chính", "STC")]


def seed(users: int, commitments: int) -> list[dict[str, object]]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction

    from agreements.models import (
        AdministrativeUnit,
        Agreement,
        Body,
        Commitment,
        CooperationItem,
        Membership,
        Party,
        Role,
    )
    from core import clock
    from reporting import workflow
    from reporting.models import ProgressReport

    today = clock.today()
    provinces = list(AdministrativeUnit.objects.filter(valid_to__isnull=True).order_by("code"))
    slots = [(unit, function) for function in FUNCTIONS for unit in provinces][:users]
    if len(slots) < users:
        raise SystemExit(f"at most {len(slots)} users")
    password = make_password(LOADTEST_PASSWORD)  # one hash for every account: seeding stays fast
    with transaction.atomic():
        agreement, _created = Agreement.objects.get_or_create(
            title=TITLE,
            defaults={
                "kind": Agreement.Kind.PROGRAMME,
                "signed_on": datetime.date(today.year - 1, 1, 1),
                "period_start": datetime.date(today.year - 1, 1, 1),
                "period_end": datetime.date(today.year + 3, 12, 31),
                "status": Agreement.Status.IN_FORCE,
                # Only the window of today (and the one before it) is reported in the system.
                "tracked_from": today - datetime.timedelta(days=200),
                "notes": "Dữ liệu thử tải (bench/loadtest/seed.py), không phải văn bản thật.",
            },
        )
        items = [
            CooperationItem.objects.get_or_create(
                agreement=agreement,
                number=number,
                defaults={"text": f"Nội dung hợp tác thử tải số {number}.", "sector_id": "trade"},
            )[0]
            for number in range(1, 6)
        ]
        for index, (unit, (function, abbreviation)) in enumerate(slots, start=1):
            committee = Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE, unit=unit).order_by("pk").first()
            body, _ = Body.objects.get_or_create(
                unit=unit,
                name=f"{function} {unit.name}",
                kind=Body.Kind.DEPARTMENT,
                defaults={"function": function, "abbreviation": abbreviation, "parent": committee},
            )
            party, made = Party.objects.get_or_create(agreement=agreement, body=body, defaults={"order": index})
            if made:
                for number in range(1, commitments + 1):
                    Commitment.objects.create(
                        item=items[(number - 1) % len(items)],
                        responsible_party=party,
                        description=f"Cam kết {number} của {body.name}: tổ chức kết nối giao thương, hỗ trợ doanh nghiệp.",
                        order=(index - 1) * commitments + number,
                        indicator_name="Số doanh nghiệp tham gia" if number % 3 == 0 else "",
                        indicator_unit="doanh nghiệp" if number % 3 == 0 else "",
                        target=100 if number % 3 == 0 else None,
                    )
            user, _ = User.objects.get_or_create(
                username=f"{USER_PREFIX}{index:02d}",
                defaults={
                    "password": password,
                    "first_name": f"Chuyên viên {index:02d}",
                    "email": f"{USER_PREFIX}{index:02d}@loadtest.coopportal.local",
                },
            )
            Membership.objects.get_or_create(user=user, body=body, role=Role.STAFF)
    workflow.open_reporting_periods(agreement, today)
    out: list[dict[str, object]] = []
    for index in range(1, users + 1):
        report = (
            ProgressReport.objects.filter(
                period__agreement=agreement,
                party__body__memberships__user__username=f"{USER_PREFIX}{index:02d}",
                state__in=ProgressReport.EDITABLE_STATES,
            )
            .order_by("-period__start")
            .first()
        )
        if report is None:
            raise SystemExit(f"{USER_PREFIX}{index:02d} has no draft report")
        out.append(
            {
                "username": f"{USER_PREFIX}{index:02d}",
                "report": report.pk,
                "entries": sorted(report.entries.values_list("pk", flat=True)),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--commitments", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    print(json.dumps({"password": LOADTEST_PASSWORD, "users": seed(args.users, args.commitments)}))


if __name__ == "__main__":
    main()
