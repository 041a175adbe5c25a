"""Render an official report PDF to a file, exactly as a download would (for operations and tests).

    python manage.py render_report report <report_id> -o bao-cao.pdf
    python manage.py render_report consolidated <period_id> [--party <party_id>] -o tong-hop.pdf
    python manage.py render_report review <agreement_id> <year> [--party <party_id>] -o danh-gia.pdf

An issued document is written as it was issued; otherwise a draft (DỰ THẢO, blank number) is
written and nothing is stored.  `--issue USERNAME [--signer USERNAME]` issues it first (cấp số),
as that user would from the page.  Always synchronous: no Celery worker is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.models import Agreement
from reporting.documents import services
from reporting.documents.kinds import REGISTRY, BaseDocument, DocumentUnavailable
from reporting.models import ProgressReport, ReportingPeriod


def _commands() -> dict[str, type[BaseDocument]]:
    return {kind.command_name: kind for kind in REGISTRY.values()}


def build_document(name: str, ids: list[int], party_id: int | None = None) -> BaseDocument:
    """The document named on the command line (viewer None: the operator sees every party's data)."""
    kinds = _commands()
    kind = kinds.get(name)
    if kind is None or len(ids) != len(kind.command_ids):
        usage = " | ".join(f"{k.command_name} {' '.join(f'<{i}>' for i in k.command_ids)}" for k in kinds.values())
        raise CommandError(f"Cần: {usage}.")
    try:
        return kind.from_command(ids, party_id)
    except (ProgressReport.DoesNotExist, ReportingPeriod.DoesNotExist, Agreement.DoesNotExist) as exc:
        raise CommandError(str(exc)) from None
    except DocumentUnavailable as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = "Tạo tệp PDF báo cáo chính thức (Nghị định 30/2020/NĐ-CP) và ghi ra tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(_commands()))
        parser.add_argument("ids", nargs="+", type=int, help="report_id | period_id | agreement_id year")
        parser.add_argument("-o", "--output", required=True, help="Tệp PDF sẽ ghi.")
        parser.add_argument("--party", type=int, help="Bên ban hành (mặc định: bên thứ nhất của thỏa thuận).")
        parser.add_argument("--html", help="Ghi kèm HTML mà WeasyPrint đã dùng.")
        parser.add_argument(
            "--force", action="store_true", help="Tạo lại tệp của bản đã ban hành (giữ nguyên số, ngày, người ký)."
        )
        parser.add_argument(
            "--issue",
            metavar="USERNAME",
            help="Cấp số và ban hành trước khi ghi tệp, nhân danh người dùng này (lãnh đạo hoặc điều phối của bên).",
        )
        parser.add_argument(
            "--signer", metavar="USERNAME", help="Người ký (mặc định: người đứng đầu cơ quan ban hành)."
        )

    def _issue(self, document: BaseDocument, username: str, signer_name: str | None) -> None:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có người dùng {username}.")
        signers = services.signers(document)
        signer = next((m for m in signers if signer_name is None or m.user.get_username() == signer_name), None)
        try:
            services.issue(actor, document, signer, synchronous=True)
        except services.DocumentError as exc:
            raise CommandError(exc.message) from None

    def handle(self, *args: Any, **options: Any) -> None:
        document = build_document(options["kind"], options["ids"], options["party"])
        if options["issue"]:
            self._issue(document, options["issue"], options["signer"])
        if options["force"]:
            services.force_rerender(document)
        delivery = services.deliver(document, None, synchronous=True, retry=True)
        if delivery.generated is not None:
            data, html, label = delivery.generated.data, delivery.generated.html, "dự thảo, không lưu"
        else:
            stored = delivery.stored
            assert stored is not None
            if not delivery.ready:
                raise CommandError(stored.error or f"Không tạo được tệp ({stored.get_state_display()}).")
            with stored.file.open("rb") as handle:
                data = handle.read()
            html = document.html()
            label = f"bản chính thức số {document.number_text()}, lưu tại {stored.file.name}"
        Path(options["output"]).write_bytes(data)
        if options["html"]:
            Path(options["html"]).write_text(html, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {options['output']} ({len(data):,} byte; {label})."))
