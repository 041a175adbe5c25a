"""Import an agreement from a file (.docx, .pdf, .txt), as the import page does: for archives.

Prints what was found; creates a draft only without --dry-run and only when the text gave everything an
agreement needs and every party was found among the bodies valid on the signing day. Otherwise it says
what is missing and exits with an error, having written nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements import services
from agreements.access import can_create_agreements, check_own_party
from agreements.importing import matching
from agreements.importing.parsing import Confidence, Found, Proposal, parse
from agreements.importing.reading import ImportRefused, text_of_file
from agreements.models import Agreement, Sector
from core import clock
from core.text import excerpt, shorten

KINDS = dict(Agreement.Kind.choices)


def _shown(found: Found[Any], text: str) -> str:
    if found.confidence is Confidence.MISSING:
        return "(không tìm thấy)"
    return f"{text} (suy ra, cần kiểm tra)" if found.confidence is Confidence.GUESSED else text


class Command(BaseCommand):
    help = "Nhập một thỏa thuận từ tệp .docx, .pdf hoặc .txt (dạng dự thảo); --dry-run chỉ in những gì đọc được."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp văn bản thỏa thuận (.docx, .pdf, .txt).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ in những gì đọc được; không tạo gì.")
        parser.add_argument(
            "--as", dest="username", default=None, help="Tài khoản điều phối viên đứng tên việc nhập (ghi vào nhật ký)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = self._user(options["username"])
        try:
            text = text_of_file(path)
        except ImportRefused as exc:
            raise CommandError(f"{path.name}: {exc.message}") from None
        proposal = parse(text)
        day = matching.reference_day(proposal)
        matches = matching.match_parties(proposal.parties, day)
        parties = [
            services.PartyDraft(
                body=match.body,
                coordinating_office=matching.coordinating_office(
                    match.body, proposal.coordinating_office.value, day, user
                ),
                signatory_name=match.mention.signatory_name,
                signatory_title=match.mention.signatory_title,
            )
            for match in matches
            if match.body is not None
        ]
        self._print(proposal, matches, parties)
        problems = [f"Văn bản chưa cho biết {gap}." for gap in proposal.missing()]
        problems += [match.problem for match in matches if match.body is None]
        if problems:
            raise CommandError("Không nhập được:\n- " + "\n- ".join(problems))
        if user is not None:
            try:
                check_own_party(user, [b for p in parties for b in (p.body, p.coordinating_office) if b is not None])
            except PermissionDenied as exc:
                raise CommandError(f"{user.username}: {exc}") from None
        if options["dry_run"]:
            self.stdout.write("Chạy thử: chưa tạo gì. Bỏ --dry-run để tạo dự thảo.")
            return
        known = set(Sector.objects.values_list("code", flat=True))
        start, today = proposal.period_start.value, clock.today()
        assert start is not None and proposal.period_end.value is not None  # proposal.missing() said so
        try:
            agreement = services.create_agreement(
                user,
                kind=proposal.kind.value,
                title=proposal.title.value,
                number=proposal.number.value,
                signed_on=proposal.signed_on.value,
                signed_at=proposal.signed_at.value,
                period_start=start,
                period_end=proposal.period_end.value,
                objectives=proposal.objectives.value,
                parties=parties,
                items=[
                    services.ItemDraft(item.number, item.text, [c for c in item.sectors if c in known])
                    for item in proposal.items
                ],
                tracked_from=today if start < today else None,
                source=f"import:{path.name}",
            )
        except services.AgreementError as exc:
            raise CommandError(f"Không nhập được: {exc.message}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dự thảo số {agreement.pk}: “{agreement.title}” với {len(parties)} bên và "
                f"{len(proposal.items)} nội dung hợp tác."
            )
        )

    def _user(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động “{excerpt(username)}”.")
        if not can_create_agreements(user):
            raise CommandError(f"{user.username}: chỉ bộ phận điều phối mới nhập được thỏa thuận hợp tác.")
        return user

    def _print(
        self, proposal: Proposal, matches: list[matching.PartyMatch], parties: list[services.PartyDraft]
    ) -> None:
        write = self.stdout.write
        start, end = proposal.period_start.value, proposal.period_end.value
        period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" if start and end else ""
        signed_on = proposal.signed_on.value
        write(f"Loại văn bản: {_shown(proposal.kind, str(KINDS.get(proposal.kind.value, '')))}")
        write(f"Tên văn bản: {_shown(proposal.title, proposal.title.value)}")
        write(f"Số văn bản: {_shown(proposal.number, proposal.number.value)}")
        write(f"Ngày ký: {_shown(proposal.signed_on, f'{signed_on:%d/%m/%Y}' if signed_on else '')}")
        write(f"Nơi ký: {_shown(proposal.signed_at, proposal.signed_at.value)}")
        write(f"Giai đoạn: {_shown(proposal.period_start, period)}")
        write(f"Mục tiêu: {_shown(proposal.objectives, shorten(proposal.objectives.value, 160))}")
        named = proposal.coordinating_office
        write(f"Bộ phận điều phối: {_shown(named, named.value)}")
        write(f"Các bên ({len(matches)}):")
        offices = {party.body.pk: party.coordinating_office for party in parties}
        for match in matches:
            found = str(match.body) if match.body is not None else f"CHƯA XÁC ĐỊNH: {match.problem}"
            office = offices.get(match.body.pk) if match.body is not None else None
            found += f"; bộ phận điều phối: {office}" if office is not None else ""
            write(f"  - {match.mention.name} → {found}")
        write(f"Nội dung hợp tác ({len(proposal.items)}):")
        for item in proposal.items:
            write(f"  {item.number}. [{', '.join(item.sectors)}] {shorten(item.text, 140)}")
        if proposal.unparsed:
            write(f"Các dòng chưa được sử dụng ({len(proposal.unparsed)}):")
            for number, line in proposal.unparsed_lines():
                write(f"  dòng {number}: {shorten(line, 140)}")
        for warning in proposal.warnings:
            write(f"Lưu ý: {warning}")
