"""Read models of the dashboards: one agreement, a user's agreements across provinces, a leader's home page.

Each builder reads in a fixed number of queries whatever the number of agreements, parties, reports or
commitments.  The database does the counting (`values().annotate(Count(...))`), each figure with the one
rule the lists use: on time and late is `reporting.filters.late_reports`, overdue is
`CommitmentQuerySet.overdue`.  A long list is cut to its first `LIMIT` rows beside its total and a link
to the filtered list that pages all of them, or paged itself.

The next review meeting is read through the agreement's `meetings` relation (meetings sits above
reporting: no import of it here).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.access import (
    DOCUMENT_ROLES,
    holds_role,
    is_site_admin,
    parties_holding,
    parties_of,
    visible_agreements,
)
from agreements.lifecycle import ChainLink, renewal_links
from agreements.models import (
    AdministrativeUnit,
    Agreement,
    Commitment,
    CooperationItem,
    Party,
    Role,
    Sector,
    at_risk_condition,
    overdue_condition,
)
from core import clock
from core.ids import one_of
from core.listing import few_first, head
from core.related import share
from core.text import choice_labels
from core.types import Actor
from reporting import periods, workflow
from reporting.access import readable_among
from reporting.documents.charts import IndicatorRow, TimelinessRow, indicator_chart, status_chart, timeliness_chart
from reporting.documents.content import party_short_name
from reporting.documents.numbering import format_number
from reporting.filters import late_reports
from reporting.lists import timeliness
from reporting.models import OfficialDocument, ProgressEntry, ProgressReport, ReportingPeriod

State = ProgressReport.State
Status = Commitment.Status
LIMIT = 10  # rows of a list shown on a dashboard; its link leads to all of them
LEADER_LIMIT = 5  # a leader's home page lists less of each, and more kinds of things
ENDING_WITHIN_DAYS = 90
FIGURES_SECONDS = 300  # how long the figures of a scope are reused (see figures())
RECENT_WINDOWS = 8  # periods in the cross-agreement timeliness chart
PAGE_SIZE = 20
NOT_SENT = (State.DRAFT, State.RETURNED)
T = TypeVar("T")


class Cell(models.TextChoices):
    """What the reporting matrix says of one party in one period."""

    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Gửi chậm")
    RETURNED = "returned", _("Bị trả lại")
    MISSING = "missing", _("Quá hạn, chưa gửi")
    NOT_DUE = "not_due", _("Chưa đến hạn")
    NOT_TRACKED = "not_tracked", _("Không theo dõi")


def cell_rules(today: datetime.date) -> dict[str, Q]:
    """Each report in exactly one class, from the one rule of lateness (late_reports)."""
    unsent = Q(state__in=NOT_SENT)
    late = late_reports(today)
    return {
        Cell.ON_TIME: ~unsent & ~late,
        Cell.LATE: ~unsent & late,
        Cell.RETURNED: Q(state=State.RETURNED),
        Cell.MISSING: Q(state=State.DRAFT) & late,
        Cell.NOT_DUE: Q(state=State.DRAFT) & ~late,
    }


def cell_of(today: datetime.date) -> Case:
    return Case(
        *(When(rule, then=Value(str(name))) for name, rule in cell_rules(today).items()),
        default=Value(str(Cell.NOT_DUE)),
        output_field=CharField(),
    )


def overdue_rule(today: datetime.date) -> Q:
    """Past its deadline and not sent (a returned report is not sent)."""
    return Q(state__in=NOT_SENT) & late_reports(today)


def rate_counts(today: datetime.date) -> dict[str, Count]:
    """The annotations of a report queryset that a `Rate` is read from."""
    counts = {f"n_{name}": Count("pk", filter=rule) for name, rule in cell_rules(today).items()}
    counts["n_overdue"] = Count("pk", filter=overdue_rule(today))
    return counts


@dataclass(frozen=True)
class Rate:
    """Reports counted by what became of them; the rate and timeliness are shares of the reports due."""

    on_time: int = 0
    late: int = 0
    returned: int = 0
    missing: int = 0
    not_due: int = 0
    overdue: int = 0  # past the deadline and not sent, returned ones included

    @classmethod
    def of(cls, row: Mapping[str, object]) -> Rate:
        """From the annotations of `rate_counts` (a row of values() or an aggregate())."""
        counts = {name: row.get(f"n_{name}") for name in cls.__dataclass_fields__}
        return cls(**{name: value if isinstance(value, int) else 0 for name, value in counts.items()})

    @classmethod
    def of_report(cls, cell: str, overdue: bool) -> Rate:
        """One report, from its class (`cell_of`) and `overdue_rule`: what `rate_counts` counts of it alone."""
        return cls(**{cell: 1, "overdue": int(overdue)})

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    @property
    def due(self) -> int:
        return self.sent + self.overdue

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        return round(Decimal(100) * part / whole, 1) if whole else None

    @property
    def rate(self) -> Decimal | None:
        """Sent of the reports due (None when none is due)."""
        return self._share(self.sent, self.due)

    @property
    def timeliness(self) -> Decimal | None:
        """Sent on time, of the reports due."""
        return self._share(self.on_time, self.due)

    def row(self, label: str) -> TimelinessRow:
        return TimelinessRow(label, self.on_time, self.late, self.overdue)

    @classmethod
    def total(cls, rates: Iterable[Rate]) -> Rate:
        """The rates of disjoint sets of reports (the periods of a scope) as one."""
        names = cls.__dataclass_fields__
        sums = dict.fromkeys(names, 0)
        for rate in rates:
            for name in names:
                sums[name] += getattr(rate, name)
        return cls(**sums)


@dataclass(frozen=True)
class StatusTotals:
    by_status: list[tuple[str, str, int]]  # (value, label, count) in the order of Commitment.Status
    overdue: int
    at_risk: int


def _status_counts(rows: Iterable[tuple[str, int]]) -> list[tuple[str, str, int]]:
    counts = dict(rows)
    return [(value, label, counts.get(value, 0)) for value, label in choice_labels(Status)]


@dataclass
class StatusRow:
    """Commitments of an item or a sector by status (in the order of Commitment.Status)."""

    label: str
    counts: list[tuple[str, str, int]]
    key: str = ""  # the sector's value, for the link to the filtered list

    @property
    def total(self) -> int:
        return sum(n for _value, _label, n in self.counts)


# --- one agreement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    kind: str
    label: str
    detail: str  # the report's timeliness and state, in words ("Chậm 12 ngày · Đã phê duyệt")
    url: str  # "" when the user may not read the report


@dataclass
class MatrixColumn:
    label: str
    deadline: datetime.date | None
    period: ReportingPeriod | None  # None: a window before the agreement was tracked
    rate: Rate


@dataclass
class MatrixRow:
    party: Party
    short_name: str
    cells: list[MatrixCell]
    rate: Rate


@dataclass(frozen=True)
class Indicator:
    """A commitment's indicator with the latest actual value its reader may see."""

    commitment: Commitment
    actual: Decimal | None
    actual_end: datetime.date | None  # the cut-off of the period that reported it
    ratio: Decimal | None  # share of the way from baseline to target

    @property
    def percent(self) -> Decimal | None:
        return round(self.ratio * 100, 1) if self.ratio is not None else None

    def chart_row(self) -> IndicatorRow:
        c = self.commitment
        assert c.target is not None  # only commitments with a target are read
        return IndicatorRow(c.indicator_name, c.indicator_unit, c.target, self.actual, self.ratio)


@dataclass
class AgreementDashboard:
    agreement: Agreement
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    totals: Rate
    cell_counts: list[tuple[str, str, int]]  # (cell kind, label, how many cells of that kind)
    items: list[StatusRow]
    sectors: list[StatusRow]
    status_counts: list[tuple[str, str, int]]
    status_svg: SafeString
    overdue: list[Commitment]
    overdue_count: int
    at_risk: list[Commitment]
    at_risk_count: int
    indicators: list[Indicator]
    indicator_svg: SafeString
    deadlines: list[ReportingPeriod]  # the next report deadlines (unsaved when the period is not open yet)
    commitments_due: list[Commitment]
    next_meeting: Any
    last_meeting: Any
    chain: list[ChainLink]
    today: datetime.date


def _matrix(
    user: Actor, agreement: Agreement, parties: list[Party], today: datetime.date
) -> tuple[list[MatrixColumn], list[MatrixRow], Rate, list[tuple[str, str, int]]]:
    """Parties × periods, oldest period first; the windows before the "tracked from" day are not tracked."""
    periods_ = list(agreement.reporting_periods.order_by("start"))
    # One query: each report with its class, whether it is overdue and whether the user may open it. A cell
    # is one report, so the rates by period and by party are sums of these, made here: the rules are still
    # PostgreSQL's (cell_rules), and one query of these annotations costs more to build than to run.
    reports = ProgressReport.objects.filter(period__agreement=agreement).annotate(
        cell=cell_of(today),
        overdue=ExpressionWrapper(overdue_rule(today), output_field=BooleanField()),
        readable=ExpressionWrapper(readable_among(user, parties), output_field=BooleanField()),
    )
    by_cell = {(report.party_id, report.period_id): report for report in share(reports, "period", periods_)}
    period_rates: dict[int, list[Rate]] = defaultdict(list)
    party_rates: dict[int, list[Rate]] = defaultdict(list)
    for report in by_cell.values():
        rate = Rate.of_report(report.cell, report.overdue)
        period_rates[report.period_id].append(rate)
        party_rates[report.party_id].append(rate)
    per_period = {period_id: Rate.total(rates) for period_id, rates in period_rates.items()}
    per_party = {party_id: Rate.total(rates) for party_id, rates in party_rates.items()}
    totals = Rate.total(per_period.values())
    untracked = [w for w in workflow.agreement_windows(agreement) if not agreement.tracks(w.end)]
    columns = [MatrixColumn(str(w.label()), None, None, Rate()) for w in untracked]
    columns += [MatrixColumn(p.label, p.deadline, p, per_period.get(p.pk, Rate())) for p in periods_]
    labels = dict(Cell.choices)
    tally: dict[str, int] = defaultdict(int)
    rows = []
    for party in parties:
        cells = [MatrixCell(Cell.NOT_TRACKED, str(labels[Cell.NOT_TRACKED]), "", "") for _w in untracked]
        for period in periods_:
            found = by_cell.get((party.pk, period.pk))
            if found is None:  # a party added after the period opened: nothing was asked of it
                kind = Cell.MISSING if period.is_overdue(today) else Cell.NOT_DUE
                cells.append(MatrixCell(kind, str(labels[kind]), "", ""))
                continue
            found.party = party
            detail = f"{timeliness(found)} · {found.state_label}"
            url = reverse("report_detail", args=[found.pk]) if found.readable else ""
            cells.append(MatrixCell(found.cell, str(labels[found.cell]), detail, url))
        for cell in cells:
            tally[cell.kind] += 1
        rows.append(MatrixRow(party, party_short_name(party), cells, per_party.get(party.pk, Rate())))
    cell_counts = [(str(value), str(label), tally[value]) for value, label in Cell.choices]
    return columns, rows, totals, cell_counts


def _indicators(
    user: Actor, commitments: QuerySet[Commitment], parties: list[Party], items: list[CooperationItem]
) -> list[Indicator]:
    """Indicators with the latest actual value the user may read, in the order of the documents' chart."""
    latest = ProgressEntry.objects.filter(
        readable_among(user, parties, "report__"), commitment=OuterRef("pk"), actual_value__isnull=False
    ).order_by("-report__period__start", "-pk")
    rows = (
        commitments.filter(target__isnull=False)
        .annotate(
            actual=Subquery(latest.values("actual_value")[:1]),
            actual_end=Subquery(latest.values("report__period__end")[:1]),
        )
        .order_by()
    )
    # Sorted here by the items and parties read already: sorted in SQL, the query joined every party and
    # item of the instance to sort the agreement's few dozen indicators (3.7 ms, two thirds of it the joins).
    read = share(share(rows, "responsible_party", parties), "item", items)
    read.sort(key=lambda c: (c.item.number, c.responsible_party.order, c.responsible_party_id, c.order, c.pk))
    return [Indicator(c, c.actual, c.actual_end, c.progress_ratio(c.actual)) for c in read]


def _next_deadlines(agreement: Agreement, today: datetime.date) -> list[ReportingPeriod]:
    """The open periods still ahead of their deadline, with their reports not sent yet; else the next window's."""
    upcoming: list[ReportingPeriod] = list(
        agreement.reporting_periods.filter(deadline__gte=today)
        .annotate(unsent=Count("reports", filter=Q(reports__state__in=NOT_SENT)))
        .order_by("deadline")[:3]
    )
    if upcoming:
        return upcoming
    ahead = [
        w
        for w in workflow.agreement_windows(agreement)
        if agreement.tracks(w.end) and periods.deadline_after(w.end, agreement.report_deadline_days) >= today
    ]
    return [ReportingPeriod.for_window(agreement, ahead[0])] if ahead else []


def agreement_dashboard(user: Actor, agreement: Agreement, today: datetime.date) -> AgreementDashboard:
    parties = list(
        agreement.parties.select_related("body__unit", "coordinating_office").prefetch_related("body__unit__names")
    )
    for party in parties:
        party.agreement = agreement
    columns, rows, totals, cell_counts = _matrix(user, agreement, parties, today)
    commitments = Commitment.objects.filter(agreement=agreement)
    items = list(agreement.items.order_by("number"))
    # Counted once per item and status; the sectors' and the agreement's counts are sums of those, not
    # queries of their own (the sectors' joined every item of the instance: 7 of the page's 18 ms of SQL).
    sector_of = {item.pk: str(item.sector_id) for item in items}
    by_item: dict[int, list[tuple[str, int]]] = defaultdict(list)
    by_sector: dict[str, Counter[str]] = defaultdict(Counter)
    by_status: Counter[str] = Counter()
    for item_id, status, n in commitments.values_list("item_id", "status").annotate(n=Count("pk")).order_by():
        by_item[item_id].append((status, n))
        by_sector[sector_of[item_id]][status] += n
        by_status[status] += n
    sector_labels = Sector.labels()
    status_counts = _status_counts(by_status.items())
    # One agreement's: a few hundred rows at most, counted in the query that reads the first of them.
    overdue, overdue_count = few_first(commitments.overdue(today), "due_on", "pk", size=LIMIT)
    at_risk, at_risk_count = few_first(commitments.at_risk(today), F("due_on").asc(nulls_last=True), "pk", size=LIMIT)
    indicators = _indicators(user, commitments, parties, items)

    def listed(rows: Iterable[Commitment]) -> list[Commitment]:
        """Commitments with the items and parties read above (core.related.share), not joined into each."""
        return share(share(rows, "responsible_party", parties), "item", items)

    return AgreementDashboard(
        agreement=agreement,
        columns=columns,
        rows=rows,
        totals=totals,
        cell_counts=cell_counts,
        items=[
            StatusRow(f"{item.number}. {item.text}", _status_counts(by_item[item.pk]), str(item.sector_id))
            for item in items
        ],
        sectors=[
            StatusRow(str(sector_labels.get(sector, sector)), _status_counts(counts.items()), sector)
            for sector, counts in sorted(by_sector.items(), key=lambda pair: str(sector_labels.get(pair[0], pair[0])))
        ],
        status_counts=status_counts,
        status_svg=status_chart({value: n for value, _label, n in status_counts}),
        overdue=listed(overdue),
        overdue_count=overdue_count,
        at_risk=listed(at_risk),
        at_risk_count=at_risk_count,
        indicators=indicators,
        indicator_svg=indicator_chart([i.chart_row() for i in indicators], more_where=gettext("xem bảng bên cạnh")),
        deadlines=_next_deadlines(agreement, today),
        commitments_due=listed(commitments.unfinished().filter(due_on__gte=today).order_by("due_on", "pk")[:5]),
        next_meeting=agreement.meetings.filter(held_on__gte=today)
        .select_related("host_party__body")
        .order_by("held_on")
        .first(),
        last_meeting=agreement.meetings.filter(held_on__lt=today).order_by("-held_on").first(),
        chain=renewal_links(user, agreement),
        today=today,
    )


# --- across the user's agreements -------------------------------------------------------------------


@dataclass
class ProvinceRow:
    """Agreements with a party in a province as it is today, and in the provinces it was made of when signed."""

    unit: AdministrativeUnit
    agreements: int
    in_force: int
    then: list[tuple[AdministrativeUnit, int]] = field(default_factory=list)


@dataclass
class SectorRow:
    sector: str
    label: str
    agreements: int
    items: int
    commitments: int
    overdue: int


@dataclass(frozen=True)
class Ending:
    agreement: Agreement
    days_left: int
    renewed: bool = False  # its next period is prepared (a successor exists, draft or not)


@dataclass(frozen=True)
class Figures:
    """A scope's aggregates, the costly part of the board: kept FIGURES_SECONDS in the cache (see overview)."""

    computed_at: datetime.datetime
    provinces: list[ProvinceRow]
    sectors: list[SectorRow]
    statuses: StatusTotals
    body_rates: list[tuple[str, Rate]]  # every body's, worst first
    windows: list[tuple[str, Rate]]  # reporting rate per period (window), newest first
    overdue: list[Commitment]
    at_risk: list[Commitment]


@dataclass
class Overview:
    scope_count: int
    provinces: list[ProvinceRow]
    sectors: list[SectorRow]
    status_counts: list[tuple[str, str, int]]
    status_svg: SafeString
    bodies: Page[tuple[str, Rate]]  # rows of reporting rates per body, worst first
    body_rates: list[tuple[str, Rate]]  # the page's rows: the body's name, its rate
    windows: list[tuple[str, Rate]]  # reporting rate per period (window), newest first
    recent_windows: list[tuple[str, Rate]]  # the chart's: the latest RECENT_WINDOWS
    timeliness_svg: SafeString
    totals: Rate
    overdue: list[Commitment]
    overdue_count: int
    at_risk: list[Commitment]
    at_risk_count: int
    ending: list[Ending]
    ending_count: int
    waiting: list[ProgressReport]
    waiting_count: int
    is_admin: bool
    today: datetime.date
    figures_at: datetime.datetime  # when the figures were computed (they may be up to FIGURES_SECONDS old)
    figures_minutes: int = FIGURES_SECONDS // 60


def _units() -> tuple[dict[int, AdministrativeUnit], dict[int, AdministrativeUnit]]:
    """Every unit by id, and what each is today (the end of its successor chain): two queries."""
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.prefetch_related("predecessors")}
    today_of: dict[int, AdministrativeUnit] = {}
    for pk, unit in units.items():
        node, seen = unit, {pk}
        while node.successor_id is not None and node.valid_to is not None and node.successor_id not in seen:
            seen.add(node.successor_id)
            node = units[node.successor_id]
        today_of[pk] = node
    return units, today_of


def _provinces(scope: QuerySet[Agreement, Any]) -> list[ProvinceRow]:
    """Agreements by province today, each with its count by the province its parties were in when signed.

    An agreement counts once in a province whichever number of its parties sit there (Long An and Tây
    Ninh are one Tây Ninh today); the database counts, the units' lineage maps then onto now.
    """
    units, today_of = _units()
    parties = Party.objects.filter(agreement__in=scope)
    counting = {
        "agreements": Count("agreement", distinct=True),
        "in_force": Count("agreement", distinct=True, filter=Q(agreement__status=Agreement.Status.IN_FORCE)),
    }
    groups: dict[int, list[int]] = defaultdict(list)
    for pk, unit in today_of.items():
        groups[unit.pk].append(pk)
    now_of = Case(
        *(When(body__unit_id__in=ids, then=Value(now_id)) for now_id, ids in groups.items()),
        default=F("body__unit_id"),
        output_field=models.IntegerField(),
    )
    now = parties.annotate(now_unit=now_of).values_list("now_unit").annotate(**counting).order_by()
    rows = {unit_id: ProvinceRow(units[unit_id], agreements, in_force) for unit_id, agreements, in_force in now}
    for unit_id, n in parties.values_list("body__unit_id").annotate(n=Count("agreement", distinct=True)).order_by():
        rows[today_of[unit_id].pk].then.append((units[unit_id], n))
    for province in rows.values():
        province.then.sort(key=lambda pair: (-pair[1], pair[0].short_name))
    return sorted(rows.values(), key=lambda r: (-r.agreements, r.unit.short_name))


def _sectors(scope: QuerySet[Agreement, Any], today: datetime.date) -> tuple[list[SectorRow], StatusTotals]:
    """Items and commitments by sector, and the scope's commitments by status, overdue and at risk: the
    commitments are read once, each counted under every condition (at scale, each pass is a scan)."""
    items = CooperationItem.objects.filter(agreement__in=scope)
    commitments = Commitment.objects.filter(agreement__in=scope)
    by_sector = {
        row["sector"]: row
        for row in items.values("sector").annotate(agreements=Count("agreement", distinct=True), items=Count("pk"))
    }
    statuses: dict[str, int] = defaultdict(int)
    per_sector: dict[str, int] = defaultdict(int)
    overdue: dict[str, int] = defaultdict(int)
    at_risk = 0
    for sector, status, n, n_overdue, n_at_risk in (
        commitments.values_list("item__sector", "status")
        .annotate(
            n=Count("pk"),
            n_overdue=Count("pk", filter=overdue_condition(today)),
            n_at_risk=Count("pk", filter=at_risk_condition(today)),
        )
        .order_by()
    ):
        statuses[status] += n
        per_sector[sector] += n
        overdue[sector] += n_overdue
        at_risk += n_at_risk
    labels = Sector.labels()
    rows = [
        SectorRow(
            sector,
            str(labels.get(sector, sector)),
            row["agreements"],
            row["items"],
            per_sector[sector],
            overdue[sector],
        )
        for sector, row in by_sector.items()
    ]
    rows.sort(key=lambda r: (-r.agreements, r.label))
    return rows, StatusTotals(_status_counts(statuses.items()), sum(overdue.values()), at_risk)


def _window_label(cadence: int, year: int, index: int) -> str:
    return str(periods.window(cadence, year, index).label())


def waiting_for_review(user: Actor) -> QuerySet[ProgressReport]:
    """Submitted reports the user's bodies answer for (an admin: all), oldest submission first."""
    reports = ProgressReport.objects.filter(state=State.SUBMITTED, period__agreement__archived_at__isnull=True)
    if not is_site_admin(user):
        reports = reports.filter(party__in=parties_of(user).values("pk"))
    return reports.select_related("party__body", "period__agreement").order_by("submitted_at", "pk")


def _figures(scope_ids: QuerySet[Agreement, Any], today: datetime.date) -> Figures:
    reports = ProgressReport.objects.filter(period__agreement__in=scope_ids)
    counts = rate_counts(today)
    body_rows = (
        reports.values("party__body_id", "party__body__name")
        .annotate(**counts)
        .order_by(F("n_overdue").desc(), F("n_late").desc(), "party__body__name", "party__body_id")
    )
    windows = [
        (_window_label(row["period__cadence_months"], row["period__year"], row["period__index"]), Rate.of(row))
        for row in reports.values("period__cadence_months", "period__year", "period__index")
        .annotate(**counts)
        .order_by("-period__year", "-period__index", "period__cadence_months")
    ]
    sectors, statuses = _sectors(scope_ids, today)
    commitments = Commitment.objects.filter(agreement__in=scope_ids)
    related = ("item__agreement", "responsible_party__body__unit")
    return Figures(
        computed_at=clock.now(),
        provinces=_provinces(scope_ids),
        sectors=sectors,
        statuses=statuses,
        body_rates=[(row["party__body__name"], Rate.of(row)) for row in body_rows],
        windows=windows,
        overdue=list(commitments.overdue(today).select_related(*related).order_by("due_on", "pk")[:LIMIT]),
        at_risk=list(
            commitments.at_risk(today).select_related(*related).order_by(F("due_on").asc(nulls_last=True), "pk")[:LIMIT]
        ),
    )


def _cached(
    kind: type[T],
    name: str,
    today: datetime.date,
    ids: Iterable[Iterable[int]],
    compute: Callable[[], T],
    *,
    fresh: bool,
) -> T:
    """What `compute` gives, from the cache when it was computed less than FIGURES_SECONDS ago for the same
    groups of `ids` (the rows it is about, in any order), day and language; computed and kept otherwise, or
    when `fresh`.  The ids are in the key, not a name of the user: a user given a new body, or an agreement
    archived, gets another key at once.  The language too, as labels are translated when computed."""
    groups = "|".join(",".join(map(str, sorted(group))) for group in ids)
    key = f"{name}:{today.isoformat()}:{translation.get_language()}:{hashlib.sha256(groups.encode()).hexdigest()}"
    cached = None if fresh else cache.get(key)
    if not isinstance(cached, kind):
        cached = compute()
        cache.set(key, cached, FIGURES_SECONDS)
    return cached


def figures(scope: QuerySet[Agreement, Any], today: datetime.date, *, fresh: bool = False) -> tuple[int, Figures]:
    """The number of agreements in scope and their figures, from the cache when computed less than
    FIGURES_SECONDS ago for the same agreements, day and language.

    At the scale of a country the figures aggregate 100,000 commitments and 40,000 reports (a third of a
    second of PostgreSQL for the busiest coordinator, half a second for an admin): on every view of the
    board that is the whole server's capacity.  They change only when a report or a commitment does, and a
    board a few minutes old says so (`Overview.figures_at`) and can be refreshed (`fresh`).  What a
    coordinator acts on (the reports waiting for review, the agreements ending) is read live by overview().
    """
    ids = list(scope.values_list("pk", flat=True))
    return len(ids), _cached(
        Figures, "overview", today, [ids], lambda: _figures(scope.values("pk"), today), fresh=fresh
    )


def overview(user: Actor, today: datetime.date, page: str | None = None, *, fresh: bool = False) -> Overview:
    scope = visible_agreements(user).filter(archived_at__isnull=True)
    scope_count, board = figures(scope, today, fresh=fresh)
    bodies = Paginator(board.body_rates, PAGE_SIZE).get_page(page)
    ending = scope.filter(
        status=Agreement.Status.IN_FORCE,
        period_end__gte=today,
        period_end__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS),
    )
    waiting = waiting_for_review(user)
    ending_soon = [
        Ending(a, (a.period_end - today).days, bool(a.renewed))
        for a in ending.annotate(renewed=Exists(Agreement.objects.filter(predecessor=OuterRef("pk")))).order_by(
            "period_end", "pk"
        )[:LIMIT]
    ]
    recent = board.windows[:RECENT_WINDOWS]
    return Overview(
        scope_count=scope_count,
        provinces=board.provinces,
        sectors=board.sectors,
        status_counts=board.statuses.by_status,
        status_svg=status_chart({value: n for value, _label, n in board.statuses.by_status}),
        bodies=bodies,
        body_rates=list(bodies),
        windows=board.windows,
        recent_windows=recent,
        timeliness_svg=timeliness_chart([rate.row(label) for label, rate in recent]),
        totals=Rate.total(rate for _label, rate in board.windows),
        overdue=board.overdue,
        overdue_count=board.statuses.overdue,
        at_risk=board.at_risk,
        at_risk_count=board.statuses.at_risk,
        ending=ending_soon,
        ending_count=ending.count(),
        waiting=list(waiting[:LIMIT]),
        waiting_count=waiting.count(),
        is_admin=is_site_admin(user),
        today=today,
        figures_at=board.computed_at,
    )


# --- a leader's home page --------------------------------------------------------------------------


def is_leader(user: Actor) -> bool:
    """Holds the leader role in some body (or in a body it succeeded)."""
    return holds_role(user, Role.LEADER)


class Standing(NamedTuple):
    """An agreement's figures on a leader's home page (kept with LeaderFigures)."""

    rate: Rate
    status_counts: list[tuple[str, str, int]]
    overdue: int
    next_deadline: datetime.date | None


@dataclass
class AgreementStanding:
    agreement: Agreement
    rate: Rate
    status_counts: list[tuple[str, str, int]]
    overdue: int
    next_deadline: datetime.date | None

    @property
    def commitments(self) -> int:
        return sum(n for _value, _label, n in self.status_counts)

    @property
    def done(self) -> int:
        return next(n for value, _label, n in self.status_counts if value == Status.DONE)


@dataclass(frozen=True)
class IssuedDocument:
    document: OfficialDocument
    number_text: str  # "05/BC-SCT"


@dataclass(frozen=True)
class LeaderFigures:
    """What is late among a leader's parties, and how the agreements of a page stand: kept FIGURES_SECONDS
    in the cache (see leader_home)."""

    computed_at: datetime.datetime
    late_reports: list[ProgressReport]
    late_report_count: int
    overdue: list[Commitment]
    overdue_count: int
    standings: dict[int, Standing]  # by agreement id


@dataclass
class LeaderHome:
    late_reports: list[ProgressReport]
    late_report_count: int
    overdue: list[Commitment]
    overdue_count: int
    reports_to_issue: list[ProgressReport]
    reports_to_issue_count: int
    periods_to_issue: list[ReportingPeriod]
    periods_to_issue_count: int
    agreements: Page[Agreement]
    standings: list[AgreementStanding]
    documents: Page[OfficialDocument]
    document_rows: list[IssuedDocument]  # the page's documents with their numbers
    today: datetime.date
    figures_at: datetime.datetime  # when the late lists and the standings were computed (see leader_home)
    figures_minutes: int = FIGURES_SECONDS // 60


def _issued(kind: str, *conditions: Any, **match: Any) -> Exists:
    return Exists(
        OfficialDocument.objects.filter(*conditions, kind=kind, is_current=True, number__isnull=False, **match)
    )


def _standings(ids: list[int], today: datetime.date) -> dict[int, Standing]:
    reports = ProgressReport.objects.filter(period__agreement_id__in=ids)
    rates = {
        row["period__agreement_id"]: Rate.of(row)
        for row in reports.values("period__agreement_id").annotate(**rate_counts(today)).order_by()
    }
    commitments = Commitment.objects.filter(agreement_id__in=ids)
    statuses: dict[int, list[tuple[str, int]]] = defaultdict(list)
    overdue: dict[int, int] = defaultdict(int)
    for agreement_id, status, n, late in (
        commitments.values_list("agreement_id", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_condition(today)))
        .order_by()
    ):
        statuses[agreement_id].append((status, n))
        overdue[agreement_id] += late
    deadlines = dict(
        ReportingPeriod.objects.filter(agreement_id__in=ids, deadline__gte=today)
        .values_list("agreement_id")
        .annotate(next=Min("deadline"))
        .order_by()
    )
    return {
        pk: Standing(rates.get(pk, Rate()), _status_counts(statuses[pk]), overdue.get(pk, 0), deadlines.get(pk))
        for pk in ids
    }


def leader_home(
    user: Actor,
    today: datetime.date,
    *,
    page: str | None = None,
    documents_page: str | None = None,
    fresh: bool = False,
) -> LeaderHome:
    """A leader's home page.  What waits for them to issue and their documents are read live: they act on
    them.  What is late and how each agreement stands are figures, as on the overview: counted over every
    report and commitment of the leader's parties (500 agreements: 2,800 overdue commitments), they come from
    the cache for FIGURES_SECONDS (_cached: the same parties, page of agreements, day and language); the
    page says when they were computed, and `fresh` computes them again."""
    # The parties the user acts for, and those they issue documents for; an archived agreement is off the page.
    # Read once as lists of ids: as subqueries, PostgreSQL re-checks the user's bodies for every period and
    # report it considers (a leader of 500 agreements: 3,000 periods). Passed as arrays (core.ids.one_of):
    # as `__in` lists Django checked and compiled each of the 3,000 ids for each of six queries.
    mine, issuing, issuing_agreements = [], [], set()
    for party_id, agreement_id, issues in parties_holding(user, DOCUMENT_ROLES, agreement__archived_at__isnull=True):
        mine.append(party_id)
        if issues:
            issuing.append(party_id)
            issuing_agreements.add(agreement_id)
    related = ("party__body", "period__agreement")
    to_issue = ProgressReport.objects.filter(one_of("party_id", issuing), state=State.APPROVED).exclude(
        _issued(OfficialDocument.Kind.PARTY_REPORT, report=OuterRef("pk"))
    )
    # A period is ready to consolidate when every party of its agreement has an approved report there: some
    # report is approved, none is not, no party lacks one.  Three anti-joins on indexed columns per period,
    # instead of grouping every report of the leader's periods to compare counts.
    reports_of_period = ProgressReport.objects.filter(period=OuterRef("pk"))
    periods_to_issue = (
        ReportingPeriod.objects.filter(one_of("agreement_id", issuing_agreements))
        .filter(Exists(reports_of_period))
        .exclude(Exists(reports_of_period.exclude(state=State.APPROVED)))
        .exclude(
            Exists(
                Party.objects.filter(agreement=OuterRef("agreement")).exclude(
                    Exists(ProgressReport.objects.filter(party=OuterRef("pk"), period=OuterRef(OuterRef("pk"))))
                )
            )
        )
        .exclude(
            _issued(OfficialDocument.Kind.CONSOLIDATED, one_of("issuing_party_id", issuing), period=OuterRef("pk"))
        )
    )
    agreements = Paginator(
        visible_agreements(user).filter(archived_at__isnull=True).order_by("-period_start", "title", "pk"), PAGE_SIZE
    ).get_page(page)
    documents = Paginator(
        OfficialDocument.objects.filter(
            one_of("issuing_party_id", issuing),
            is_current=True,
            number__isnull=False,
            state=OfficialDocument.State.READY,
        )
        .select_related("agreement", "issuing_body", "issuing_party__body", "period")
        .order_by("-issued_at", "-pk"),
        PAGE_SIZE,
    ).get_page(documents_page)
    document_rows = [
        IssuedDocument(d, format_number(d.number, d.issuing_body or d.issuing_party.body)) for d in documents
    ]
    shown = list(agreements)
    shown_ids = [a.pk for a in shown]

    def compute() -> LeaderFigures:
        late = ProgressReport.objects.filter(one_of("party_id", mine)).filter(overdue_rule(today))
        overdue = Commitment.objects.filter(one_of("responsible_party_id", mine)).overdue(today)
        late_rows, late_count = head(late, "period__deadline", "pk", size=LEADER_LIMIT, related=related)
        overdue_rows, overdue_count = head(
            overdue, "due_on", "pk", size=LEADER_LIMIT, related=("item__agreement", "responsible_party__body__unit")
        )
        standings = _standings(shown_ids, today)
        return LeaderFigures(clock.now(), late_rows, late_count, overdue_rows, overdue_count, standings)

    board = _cached(LeaderFigures, "leader", today, [mine, shown_ids], compute, fresh=fresh)
    issue_rows, issue_count = head(to_issue, "-approved_at", "pk", size=LEADER_LIMIT, related=related)
    period_rows, period_count = head(periods_to_issue, "-deadline", "pk", size=LEADER_LIMIT, related=("agreement",))
    return LeaderHome(
        late_reports=board.late_reports,
        late_report_count=board.late_report_count,
        overdue=board.overdue,
        overdue_count=board.overdue_count,
        reports_to_issue=issue_rows,
        reports_to_issue_count=issue_count,
        periods_to_issue=period_rows,
        periods_to_issue_count=period_count,
        agreements=agreements,
        standings=[AgreementStanding(a, *board.standings[a.pk]) for a in shown],
        documents=documents,
        document_rows=document_rows,
        today=today,
        figures_at=board.computed_at,
    )
