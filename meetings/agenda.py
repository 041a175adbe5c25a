"""The agenda the app proposes for a review meeting, drafted from the agreement's reports.

Only what the parties sent is read (reports submitted or approved: what every coordinator of the
agreement may read), in a fixed number of queries whatever the size of the agreement:

- commitments delayed, at risk or past their due date;
- proposals (kiến nghị, đề xuất) in each party's latest report sent, on commitments not finished;
- indicators furthest from their target, by their latest reported value;
- parties that did not send their report for the last periods whose deadline has passed.

The coordinator edits the text before saving it as the meeting's agenda (services.set_agenda).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from agreements.models import FINISHED_COMMITMENT, LATE_STATUSES, Agreement, Commitment, Party
from core import clock, limits
from core.numbers import format_decimal
from core.text import shorten
from meetings.models import ReviewMeeting
from reporting.access import SHARED_STATES
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod

# Enough for a meeting to discuss; the rest is counted, so the agenda stays readable (and within its limit).
MAX_LINES = 25
MAX_INDICATORS = 5
LAST_PERIODS = 2
TEXT_LIMIT = 300


@dataclass(frozen=True)
class IndicatorGap:
    commitment: Commitment
    actual: Decimal
    ratio: Decimal
    period: ReportingPeriod


def late_commitments(agreement: Agreement, today: datetime.date) -> list[Commitment]:
    """Commitments delayed or at risk (the latest approved word) or past their due date, by item."""
    overdue = Commitment.objects.overdue(today).filter(agreement=agreement)
    return list(
        Commitment.objects.filter(agreement=agreement)
        .filter(Q(status__in=LATE_STATUSES) | Q(pk__in=overdue.values("pk")))
        .select_related("item", "responsible_party__body", "lead_body")
        .order_by("item__number", "order", "pk")
    )


def latest_sent_reports(agreement: Agreement) -> list[ProgressReport]:
    """Each party's latest report that was sent (submitted or approved)."""
    reports = (
        ProgressReport.objects.filter(party__agreement=agreement, state__in=SHARED_STATES)
        .select_related("party__body", "period")
        .order_by("party__order", "party_id", "-period__start")
    )
    latest: dict[int, ProgressReport] = {}
    for report in reports:
        latest.setdefault(report.party_id, report)
    return list(latest.values())


def open_proposals(reports: Sequence[ProgressReport]) -> list[ProgressEntry]:
    """Proposals written in these reports on commitments that are not done or cancelled."""
    by_id = {report.pk: report for report in reports}
    entries = list(
        ProgressEntry.objects.filter(report__in=list(by_id))
        .exclude(proposals="")
        .exclude(commitment__status__in=FINISHED_COMMITMENT)
        .select_related("commitment__item")
        .order_by("commitment__item__number", "commitment__order", "commitment_id")
    )
    for entry in entries:
        entry.report = by_id[entry.report_id]
    return sorted(entries, key=lambda e: (e.report.party.order, e.report.party_id))


def indicator_gaps(agreement: Agreement, limit: int = MAX_INDICATORS) -> list[IndicatorGap]:
    """Unfinished commitments with a target, furthest from it first, by the latest value a party sent."""
    entries = (
        ProgressEntry.objects.filter(
            report__party__agreement=agreement,
            report__state__in=SHARED_STATES,
            actual_value__isnull=False,
            commitment__target__isnull=False,
        )
        .exclude(commitment__status__in=FINISHED_COMMITMENT)
        .select_related("commitment__responsible_party__body", "commitment__lead_body", "report__period")
        .order_by("commitment_id", "-report__period__start")
    )
    latest: dict[int, ProgressEntry] = {}
    for entry in entries:
        latest.setdefault(entry.commitment_id, entry)
    gaps = []
    for entry in latest.values():
        assert entry.actual_value is not None  # filtered above
        ratio = entry.commitment.progress_ratio(entry.actual_value)
        if ratio is not None and ratio < 1:
            gaps.append(IndicatorGap(entry.commitment, entry.actual_value, ratio, entry.report.period))
    gaps.sort(key=lambda gap: (gap.ratio, gap.commitment.pk))
    return gaps[:limit]


def missing_reports(
    agreement: Agreement, parties: Sequence[Party], today: datetime.date, count: int = LAST_PERIODS
) -> list[tuple[ReportingPeriod, list[Party]]]:
    """For the last `count` periods whose deadline has passed: the parties that sent no report."""
    periods = list(ReportingPeriod.objects.filter(agreement=agreement, deadline__lt=today).order_by("-start")[:count])
    sent = set(
        ProgressReport.objects.filter(period__in=periods, state__in=SHARED_STATES).values_list("period_id", "party_id")
    )
    result = []
    for period in reversed(periods):
        missing = [party for party in parties if (period.pk, party.pk) not in sent]
        if missing:
            result.append((period, missing))
    return result


def _clause(text: str, limit: int) -> str:
    """A text quoted inside a sentence of the agenda: shortened, without its own full stop."""
    return shorten(text, limit).rstrip(" .;")


def _leader(commitment: Commitment) -> str:
    if commitment.lead_body is not None:
        return commitment.lead_body.name
    return commitment.responsible_party.body.name


def _bounded(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    more = len(lines) - MAX_LINES
    return [*lines[:MAX_LINES], "   - " + _("… và %(n)s mục khác.") % {"n": more}]


def _section(number: int, title: str, lines: Iterable[str]) -> list[str]:
    body = _bounded(list(lines)) or ["   - " + _("Không có.")]
    return [f"{number}. {title}", *body]


def _percent(ratio: Decimal) -> str:
    return format_decimal(max(ratio, Decimal(0)) * 100, places=0) + " %"


def draft_agenda(meeting: ReviewMeeting, today: datetime.date | None = None) -> str:
    """The agenda the app proposes for `meeting`, as plain text the coordinator edits before saving it."""
    today = today or clock.today()
    agreement = meeting.agreement
    parties = list(agreement.parties.select_related("body").order_by("order", "pk"))
    late = late_commitments(agreement, today)
    proposals = open_proposals(latest_sent_reports(agreement))
    gaps = indicator_gaps(agreement)
    missing = missing_reports(agreement, parties, today)
    host = meeting.host_party.body.name if meeting.host_party is not None else _("chưa xác định")

    late_lines = []
    for c in late:
        state = [str(c.get_status_display())] if c.status in LATE_STATUSES else []
        if c.is_overdue(today):
            assert c.due_on is not None
            state.append(_("quá hạn từ %(day)s") % {"day": f"{c.due_on:%d/%m/%Y}"})
        late_lines.append(
            "   - "
            + _("Nội dung %(item)s – %(leader)s: %(text)s (%(state)s).")
            % {
                "item": c.item.number,
                "leader": _leader(c),
                "text": _clause(c.description, 160),
                "state": "; ".join(state),
            }
        )
    proposal_lines = [
        "   - "
        + _("%(party)s (báo cáo %(period)s), về “%(commitment)s”: %(text)s")
        % {
            "party": e.report.party.body.name,
            "period": e.report.period.label,
            "commitment": _clause(e.commitment.description, 80),
            "text": shorten(e.proposals, TEXT_LIMIT),
        }
        for e in proposals
    ]
    gap_lines = [
        "   - "
        + _("%(indicator)s – %(leader)s: đạt %(actual)s/%(target)s %(unit)s (%(percent)s), kỳ %(period)s.")
        % {
            "indicator": g.commitment.indicator_name,
            "leader": _leader(g.commitment),
            "actual": format_decimal(g.actual),
            "target": format_decimal(g.commitment.target),
            "unit": g.commitment.indicator_unit,
            "percent": _percent(g.ratio),
            "period": g.period.label,
        }
        for g in gaps
    ]
    missing_lines = [
        "   - "
        + _("Kỳ %(period)s (hạn nộp %(day)s): %(parties)s.")
        % {
            "period": period.label,
            "day": f"{period.deadline:%d/%m/%Y}",
            "parties": ", ".join(party.body.name for party in absent),
        }
        for period, absent in missing
    ]

    lines = [
        _("DỰ THẢO CHƯƠNG TRÌNH %(kind)s") % {"kind": meeting.get_kind_display().upper()},
        agreement.title,
        _("Thời gian: %(when)s. Địa điểm: %(place)s. Chủ trì: %(host)s.")
        % {"when": meeting.when_label, "place": meeting.place or _("chưa xác định"), "host": host},
        "",
    ]
    sections = [
        (_("Khai mạc; giới thiệu thành phần tham dự."), None),
        (_("Các bên báo cáo kết quả thực hiện từ kỳ họp trước."), None),
        (_("Cam kết chậm tiến độ, có nguy cơ chậm hoặc quá hạn:"), late_lines),
        (_("Kiến nghị, đề xuất chưa được giải quyết:"), proposal_lines),
        (_("Chỉ tiêu còn xa mục tiêu:"), gap_lines),
        (_("Các bên chưa gửi báo cáo:"), missing_lines),
        (_("Thảo luận, thống nhất giải pháp và nhiệm vụ thời gian tới."), None),
        (_("Kết luận của lãnh đạo chủ trì."), None),
    ]
    for number, (title, body) in enumerate(sections, start=1):
        lines += [f"{number}. {title}"] if body is None else _section(number, title, body)
    text = "\n".join(lines)
    return text[: limits.MINUTES]  # bounded above; this only guards the column's limit
