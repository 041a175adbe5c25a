"""One class per official document, each with one `generate()` (as pretix's invoice renderers).

A document knows what it is about, who issues it, whether it is final (every report behind it
approved) and how to turn itself into HTML and then PDF.  It never stores anything: numbering,
storage and delivery are in `reporting.documents.services` and `.rendering`.

`REGISTRY` is the one place that maps a stored kind to its class: each class registers itself
with `@register` (the yearly review report from the meetings app), and `document_for(stored)`
rebuilds any stored row's document through its class's `from_stored`.
"""

from __future__ import annotations

import datetime
import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.models import Agreement, Body, Commitment, Party, prefetch_chains
from core import clock
from core.types import Actor
from reporting.documents import letterhead as lh
from reporting.documents.charts import indicator_chart, status_chart
from reporting.documents.content import ReportContent, build_content
from reporting.documents.numbering import format_number
from reporting.documents.pdf import render_parts
from reporting.models import OfficialDocument, ProgressReport, ReportingPeriod
from reporting.queries import consolidate

Kind = OfficialDocument.Kind
FONT_FILE = "fonts/LiberationSerif-Regular.ttf"
TEMPLATE = "documents/report.html"


class DocumentUnavailable(Exception):
    """There is nothing to report (e.g. no reporting period in that year); the message is for the user."""


@dataclass(frozen=True)
class GeneratedDocument:
    filename: str
    content_type: str
    data: bytes
    html: str
    fingerprint: str


def fingerprint(parts: list[str]) -> str:
    """The document's data fingerprint: the hash of the HTML it is drawn from (number and date included)."""
    digest = hashlib.sha256()
    for html in parts:
        digest.update(html.encode("utf-8") + b"\x00")
    return digest.hexdigest()


REGISTRY: dict[str, type[BaseDocument]] = {}

_D = TypeVar("_D", bound="type[BaseDocument]")


def register(cls: _D) -> _D:
    """Class decorator: this class renders the stored documents of its `kind`."""
    if REGISTRY.get(cls.kind, cls) is not cls:
        raise RuntimeError(f"Two document classes for kind {cls.kind!r}")
    REGISTRY[cls.kind] = cls
    return cls


DRAFT_PREFIX = "draft:"


def draft_key(document: BaseDocument, viewer: Actor | None) -> str:
    """A large draft rendered by the worker: one per document, reader and state of the data."""
    reader = viewer.pk if viewer is not None and viewer.is_authenticated else 0
    return f"{DRAFT_PREFIX}{document.key}:{reader}:{document.data_version()[:16]}"


def document_for(stored: OfficialDocument) -> BaseDocument:
    """The document a stored row is a copy of: as it was issued, or a draft drawn for the reader who asked."""
    if stored.key.startswith(DRAFT_PREFIX):
        return REGISTRY[stored.kind].from_stored(stored, viewer=stored.requested_by, issued_on=stored.issued_on)
    return REGISTRY[stored.kind].from_stored(
        stored,
        number=stored.number,
        issued_on=stored.issued_on,
        issuing_body=stored.issuing_body,
        signer_name=stored.signer_name,
        signer_title=stored.signer_title,
        replaces=stored.replaces,
    )


def issuing_party(agreement: Agreement, party_id: int | None) -> Party:
    """The party a document is issued by: `party_id`, or the agreement's first party."""
    parties = agreement.parties.select_related("body__parent", "coordinating_office")
    party = parties.filter(pk=party_id).first() if party_id else parties.first()
    if party is None:
        raise DocumentUnavailable(f"Bên {party_id} không thuộc thỏa thuận {agreement.pk}.")
    return party


def parallel_threshold() -> int:
    """From this many commitments the appendix is laid out in a second process (see documents.pdf)."""
    return settings.DOCUMENTS_PARALLEL_THRESHOLD


def font_base(*, for_browser: bool = False) -> str:
    """Where the template finds the fonts: a file:// folder for WeasyPrint, the static URL for a browser."""
    if for_browser:
        return static("fonts/")
    found = finders.find(FONT_FILE)
    if not found:
        raise FileNotFoundError(f"Static file {FONT_FILE} is missing; the PDF would fall back to system fonts.")
    return Path(str(found)).resolve().parent.as_uri() + "/"


def _ascii_slug(text: str) -> str:
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


def day_text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def signed_clause(agreement: Agreement) -> str:
    return f" ký ngày {day_text(agreement.signed_on)}" if agreement.signed_on else ""


class BaseDocument(ABC):
    """An official report of Decree 30/2020 about one agreement, issued by one of its parties."""

    kind: ClassVar[str]

    def __init__(
        self,
        agreement: Agreement,
        issuing_party: Party,
        *,
        viewer: Actor | None = None,
        number: int | None = None,
        issued_on: datetime.date | None = None,
        issuing_body: Body | None = None,
        signer_name: str = "",
        signer_title: str = "",
        replaces: OfficialDocument | None = None,
    ) -> None:
        self.agreement = agreement
        self.issuing_party = issuing_party
        self.viewer = viewer  # whose eyes a draft is drawn for (other parties' drafts stay hidden)
        self.number = number  # given once, when the document is issued (services.issue)
        self.issued_on = issued_on or clock.today()
        self.issuing_body = issuing_body
        self.signer_name, self.signer_title = signer_name, signer_title
        self.replaces = replaces

    # --- what each kind says -----------------------------------------------------------------

    @property
    @abstractmethod
    def key(self) -> str:
        """Identifies the stored copy: one per document and issuing party."""

    @abstractmethod
    def is_final(self) -> bool:
        """Every report behind the document is approved: it may be issued (numbered, signed, stored)."""

    @abstractmethod
    def reports(self) -> QuerySet[ProgressReport]:
        """The reports the document is drawn from."""

    @abstractmethod
    def data_end(self) -> datetime.date:
        """The cut-off of the document's data window."""

    @abstractmethod
    def commitment_count(self) -> int:
        """Size of the document, to decide whether it is rendered in the request or by Celery."""

    @abstractmethod
    def summary(self) -> str:
        """The trích yếu under "BÁO CÁO"."""

    @abstractmethod
    def intro(self) -> str:
        """The opening paragraph."""

    @abstractmethod
    def build_content(self) -> ReportContent: ...

    @classmethod
    @abstractmethod
    def from_stored(cls, stored: OfficialDocument, **options: Any) -> BaseDocument:
        """Rebuild the document a stored row is a copy of."""

    # How the command line names it: `render_report <command_name> <command_ids...>`.
    command_name: ClassVar[str]
    command_ids: ClassVar[tuple[str, ...]]

    @classmethod
    @abstractmethod
    def from_command(cls, ids: list[int], party_id: int | None) -> BaseDocument:
        """The document `render_report` names (no viewer: the operator sees every party's data)."""

    @classmethod
    def for_period(cls, period: ReportingPeriod, party: Party, viewer: Actor) -> BaseDocument | None:
        """The document of this kind that a period's page offers to `party`, if any."""
        return None

    def link_title(self) -> str:
        """How a page lists this document, in the UI language."""
        return self.title()

    def url(self) -> str:
        raise NotImplementedError

    def issue_url(self) -> str:
        """Where a leader or coordinator POSTs to issue it (cấp số)."""
        raise NotImplementedError

    def stored_fields(self) -> dict[str, Any]:
        """What identifies this document in an OfficialDocument row."""
        return {"kind": self.kind, "agreement": self.agreement, "issuing_party": self.issuing_party}

    # --- shared --------------------------------------------------------------------------------

    @cached_property
    def final(self) -> bool:
        return self.is_final()

    @property
    def draft(self) -> bool:
        """Not every report behind it is approved: shown as DỰ THẢO to its readers, never issued."""
        return not self.final

    @property
    def issued(self) -> bool:
        return self.number is not None

    def _viewer(self) -> Actor | None:
        return None if self.final else self.viewer

    @cached_property
    def body(self) -> Body:
        """The body that issues the document on its date: the party's body or, after a merger, its successor."""
        if self.issuing_body is not None:
            return self.issuing_body
        prefetch_chains([self.issuing_party.body])  # the same queries whether it handed over or not
        return lh.body_on(self.issuing_party.body, self.issued_on)

    @property
    def body_name(self) -> str:
        """The issuing body's name as it was called on the document's date."""
        return self.body.name_on(self.issued_on)

    def number_text(self) -> str:
        return format_number(self.number, self.body)

    def data_version(self) -> str:
        """What the data behind the document is now: each report's version (any change of a report moves it)."""
        versions = self.reports().order_by("pk").values_list("pk", "version")
        commitments = Commitment.objects.filter(agreement=self.agreement).count()
        text = ";".join(f"{pk}:{version}" for pk, version in versions) + f"|{commitments}"
        return hashlib.sha256(text.encode()).hexdigest()

    def estimate_note(self) -> str:
        """Offices write figures not yet final as estimates: a report dated before its cut-off says so."""
        end = self.data_end()
        return f" (số liệu ước thực hiện đến ngày {day_text(end)})" if self.issued_on <= end else ""

    def signature(self) -> lh.Signature:
        if self.signer_name:
            return lh.Signature(lh.signature_lines(self.signer_title, self.body), self.signer_name)
        return lh.signature(self.body)

    def replaces_note(self) -> str:
        old = self.replaces
        if old is None or old.number is None or old.issued_on is None or old.issuing_body is None:
            return ""
        return (
            f"Báo cáo này thay thế Báo cáo số {format_number(old.number, old.issuing_body)} "
            f"ngày {day_text(old.issued_on)} của {old.issuing_body.name}."
        )

    def party_bodies(self) -> list[Body]:
        """The parties' bodies, with what each had become and its names of every time, in a fixed number of queries."""
        bodies = [
            p.body for p in self.agreement.parties.select_related("body__unit").prefetch_related("body__unit__names")
        ]
        prefetch_chains(bodies)
        return bodies

    def context(self, *, for_browser: bool = False) -> dict[str, Any]:
        content = self.build_content()
        number = self.number_text()
        summary = self.summary()
        return {
            "letterhead": lh.letterhead(self.body, number, self.issued_on, draft=not self.issued),
            "nation": lh.NATION,
            "motto": lh.MOTTO,
            "summary": summary,
            "intro": self.intro(),
            "replaces_note": self.replaces_note(),
            # An empty section says only that: the document never writes what no party wrote.
            "blank_section": "(Bên báo cáo không nêu nội dung này.)"
            if self.kind == Kind.PARTY_REPORT
            else "(Các bên không nêu nội dung này.)",
            "content": content,
            "status_chart": status_chart(content.status_counts, content.no_data),
            "indicator_chart": indicator_chart(content.indicators),
            "closing": f"Trên đây là báo cáo {summary[0].lower()}{summary[1:]} của {self.body_name}./.",
            "signature": self.signature(),
            "recipients": lh.recipients(
                self.body,
                self.party_bodies(),
                self.issued_on,
                office=self.issuing_party.coordinating_office,
            ),
            "appendix_caption": (
                f"(Kèm theo Báo cáo số {number} {lh.format_date(self.issued_on)} của {self.body_name})"
                if self.issued
                else f"(Kèm theo dự thảo Báo cáo của {self.body_name})"
            ),
            "document_title": f"Báo cáo {number} – {summary}",
            "font_base": font_base(for_browser=for_browser),
            "for_browser": for_browser,
        }

    def html_parts(self) -> list[str]:
        """The HTML of the main document and of its appendix (page numbers restart in the appendix)."""
        context = self.context()
        with translation.override("vi"):
            return [render_to_string(TEMPLATE, context | {"part": part}) for part in ("main", "appendix")]

    def html(self, *, for_browser: bool = False) -> str:
        """The whole document as one page of HTML (the browser preview)."""
        with translation.override("vi"):
            return render_to_string(TEMPLATE, self.context(for_browser=for_browser) | {"part": "all"})

    def title(self) -> str:
        """The trích yếu as the document says it: always Vietnamese, whatever the UI language."""
        with translation.override("vi"):
            return self.summary()

    def filename(self) -> str:
        slug = _ascii_slug(self.title())[:60].rstrip("-")
        if self.number is None:
            return f"du-thao_{slug}.pdf"
        return f"{self.number:02d}-BC-{_ascii_slug(self.body.abbreviation).upper()}-{self.issued_on.year}_{slug}.pdf"

    def generate(self) -> GeneratedDocument:
        """Render the document: (file name, content type, PDF bytes), with the HTML and its fingerprint."""
        with translation.override("vi"):
            parts = self.html_parts()
        parallel = self.commitment_count() >= parallel_threshold()
        pdf = render_parts(parts, font_base(), parallel=parallel)
        return GeneratedDocument(self.filename(), "application/pdf", pdf, "".join(parts), fingerprint(parts))


@register
class PartyReportDocument(BaseDocument):
    """A party's semi-annual report for one period."""

    kind = Kind.PARTY_REPORT

    def __init__(self, report: ProgressReport, **options: Any) -> None:
        super().__init__(report.period.agreement, report.party, **options)
        self.report = report
        self.period = report.period

    command_name = "report"
    command_ids = ("report_id",)

    @classmethod
    def _load(cls, report_id: int, **options: Any) -> PartyReportDocument:
        report = ProgressReport.objects.select_related("party__body__parent", "period__agreement").get(pk=report_id)
        return cls(report, **options)

    @classmethod
    def from_stored(cls, stored: OfficialDocument, **options: Any) -> PartyReportDocument:
        assert stored.report_id is not None
        return cls._load(stored.report_id, **options)

    @classmethod
    def from_command(cls, ids: list[int], party_id: int | None) -> PartyReportDocument:
        return cls._load(ids[0])

    def link_title(self) -> str:
        """Names the body that issues it, as the document does: after a merger the successor, never a former
        body "(đến 30/06/2025)"; the party's own name beside it when that differs, so that two parties with
        one successor are told apart."""
        issuer, party = self.body_name, self.issuing_party.body.name
        if issuer != party:
            issuer = _("%(issuer)s (kế thừa %(party)s)") % {"issuer": issuer, "party": party}
        return _("Báo cáo %(period)s của %(party)s") % {"period": self.period.label, "party": issuer}

    def url(self) -> str:
        return reverse("document_report_pdf", args=[self.report.pk])

    def issue_url(self) -> str:
        return reverse("document_report_issue", args=[self.report.pk])

    @property
    def key(self) -> str:
        return f"report:{self.report.pk}"

    def stored_fields(self) -> dict[str, Any]:
        return super().stored_fields() | {"report": self.report, "period": self.period}

    def is_final(self) -> bool:
        return bool(self.report.state == ProgressReport.State.APPROVED)

    def reports(self) -> QuerySet[ProgressReport]:
        return ProgressReport.objects.filter(pk=self.report.pk)

    def data_end(self) -> datetime.date:
        return self.period.end

    def commitment_count(self) -> int:
        return Commitment.objects.filter(responsible_party=self.report.party).count()

    def summary(self) -> str:
        return f"Kết quả thực hiện {self.agreement.title} {self.period.label}"

    def intro(self) -> str:
        return (
            f"Thực hiện {self.agreement.title}{signed_clause(self.agreement)}, {self.body_name} báo cáo kết quả thực hiện "
            f"{self.period.label} (số liệu từ ngày {day_text(self.period.start)} đến ngày {day_text(self.period.end)})"
            f"{self.estimate_note()} như sau:"
        )

    def build_content(self) -> ReportContent:
        return build_content([("", consolidate(self.period, viewer=self._viewer()))], [self.issuing_party])


def all_approved(periods: list[ReportingPeriod], party_count: int) -> bool:
    states = list(ProgressReport.objects.filter(period__in=periods).values_list("state", flat=True))
    return (
        bool(periods)
        and party_count > 0
        and len(states) == party_count * len(periods)
        and all(state == ProgressReport.State.APPROVED for state in states)
    )


@register
class ConsolidatedReportDocument(BaseDocument):
    """The coordinating office's report of one period across every party."""

    kind = Kind.CONSOLIDATED

    def __init__(self, period: ReportingPeriod, issuing_party: Party, **options: Any) -> None:
        super().__init__(period.agreement, issuing_party, **options)
        self.period = period

    command_name = "consolidated"
    command_ids = ("period_id",)

    @classmethod
    def from_stored(cls, stored: OfficialDocument, **options: Any) -> ConsolidatedReportDocument:
        assert stored.period is not None
        return cls(stored.period, stored.issuing_party, **options)

    @classmethod
    def from_command(cls, ids: list[int], party_id: int | None) -> ConsolidatedReportDocument:
        period = ReportingPeriod.objects.select_related("agreement").get(pk=ids[0])
        return cls(period, issuing_party(period.agreement, party_id))

    @classmethod
    def for_period(cls, period: ReportingPeriod, party: Party, viewer: Actor) -> ConsolidatedReportDocument:
        return cls(period, party, viewer=viewer)

    def link_title(self) -> str:
        return _("Báo cáo tổng hợp %(period)s") % {"period": self.period.label}

    def url(self) -> str:
        return reverse("document_consolidated_pdf", args=[self.period.pk])

    def issue_url(self) -> str:
        return reverse("document_consolidated_issue", args=[self.period.pk]) + f"?party={self.issuing_party.pk}"

    @property
    def key(self) -> str:
        return f"consolidated:{self.period.pk}:{self.issuing_party.pk}"

    def stored_fields(self) -> dict[str, Any]:
        return super().stored_fields() | {"period": self.period}

    def is_final(self) -> bool:
        return all_approved([self.period], self.agreement.parties.count())

    def reports(self) -> QuerySet[ProgressReport]:
        return ProgressReport.objects.filter(period=self.period)

    def data_end(self) -> datetime.date:
        return self.period.end

    def commitment_count(self) -> int:
        return Commitment.objects.filter(agreement=self.agreement).count()

    def summary(self) -> str:
        return f"Tổng hợp kết quả thực hiện {self.agreement.title} {self.period.label}"

    def intro(self) -> str:
        office = self.issuing_party.coordinating_office
        if office is not None:
            office = lh.body_on(office, self.issued_on)  # the office in force on the document's date
        compiler = (
            f"{self.body_name} (bộ phận điều phối: {office.name_on(self.issued_on)})" if office else self.body_name
        )
        return (
            f"Thực hiện {self.agreement.title}{signed_clause(self.agreement)}, trên cơ sở báo cáo của các bên tham gia, "
            f"{compiler} tổng hợp kết quả thực hiện {self.period.label} (số liệu từ ngày {day_text(self.period.start)} "
            f"đến ngày {day_text(self.period.end)}){self.estimate_note()} như sau:"
        )

    def build_content(self) -> ReportContent:
        cons = consolidate(self.period, viewer=self._viewer())
        return build_content([("", cons)], cons.parties)
