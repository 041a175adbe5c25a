"""What a report says, built from the consolidated view(s): items, commitments, texts, chart data.

One structure serves the three documents: a party's report is the consolidated view narrowed
to one party, the yearly review is the consolidated views of the year's periods merged (the
latest word on each commitment, the results of every period).  Strings are prepared here so
the template stays a plain loop (which keeps a 1,000-commitment report fast to render).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agreements.models import Commitment, CooperationItem, Party
from reporting.documents.charts import NO_DATA, NO_DATA_LABEL, IndicatorRow
from reporting.documents.letterhead import vn_number
from reporting.models import ProgressEntry, ProgressReport
from reporting.queries import Consolidated

STATUS_LABELS = {value: str(label) for value, label in Commitment.Status.choices} | {NO_DATA: NO_DATA_LABEL}
STANDING = "thường xuyên"


def paragraphs(text: str) -> list[str]:
    """User text as paragraphs: blank lines and single line breaks both start a new one."""
    return [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@dataclass
class Labelled:
    label: str  # "" when there is a single period
    paragraphs: list[str]


@dataclass
class CommitmentView:
    number: str  # "1.2"
    description: str
    party_name: str
    party_short: str  # "SCT Long An", for the appendix table
    due: str
    status: str
    status_label: str
    percent: int | None
    indicator: str  # sentence for the body; "" when the commitment has no indicator
    indicator_cell: str  # short form for the appendix table
    results: list[Labelled] = field(default_factory=list)

    @property
    def result_paragraphs(self) -> list[str]:
        """ "Kết quả: …" (with the period when there are several), then any further paragraphs."""
        out: list[str] = []
        for labelled in self.results:
            lead = f"Kết quả {labelled.label}: " if labelled.label else "Kết quả: "
            out += [lead + labelled.paragraphs[0], *labelled.paragraphs[1:]]
        return out


@dataclass
class PartyBlock:
    party_name: str
    note: str  # "" or why there is nothing to show (a draft of another party)
    commitments: list[CommitmentView]


@dataclass
class ItemView:
    number: int
    text: str
    parties: list[PartyBlock]


@dataclass
class Statement:
    heading: str  # "" when there is nothing to add (a single party)
    paragraphs: list[str]


@dataclass
class ReportContent:
    items: list[ItemView]
    appendix: list[CommitmentView]
    assessments: list[Statement]
    shortcomings: list[Statement]
    difficulties: list[Statement]
    proposals: list[Statement]
    next_tasks: list[Statement]
    status_counts: dict[str, int]
    no_data: int
    indicators: list[IndicatorRow]
    party_count: int
    multi_party: bool

    @property
    def commitment_count(self) -> int:
        return len(self.appendix)


def _indicator(commitment: Commitment, entry: ProgressEntry | None) -> tuple[str, str, IndicatorRow | None]:
    if commitment.target is None:
        return "", "", None
    unit = commitment.indicator_unit
    target = f"{vn_number(commitment.target)} {unit}"
    actual = entry.actual_value if entry is not None else None
    ratio = commitment.progress_ratio(actual)
    row = IndicatorRow(commitment.indicator_name, unit, commitment.target, actual, ratio)
    if actual is None or ratio is None:
        return f"{commitment.indicator_name}: mục tiêu {target}, chưa có số liệu thực hiện.", f"— / {target}", row
    percent = vn_number(round(ratio * 100, 1))
    sentence = f"{commitment.indicator_name}: đạt {vn_number(actual)}/{target} ({percent}% mục tiêu)."
    return sentence, f"{vn_number(actual)} / {target} ({percent}%)", row


def party_short_name(party: Party) -> str:
    """ "SCT Long An": the body's abbreviation and the short name of its (historical) unit."""
    body = party.body
    return f"{body.abbreviation} {body.unit.short_name}" if body.abbreviation else body.name


def _heading(multi_party: bool, party_short: str, view: CommitmentView) -> str:
    return f"Cam kết {view.number} ({party_short})" if multi_party else f"Cam kết {view.number}"


def _statements(reports: list[tuple[str, ProgressReport | None]], attribute: str, multi_party: bool) -> list[Statement]:
    out = []
    for party_name, report in reports:
        texts = paragraphs(getattr(report, attribute)) if report is not None else []
        if texts:
            out.append(Statement(party_name if multi_party else "", texts))
    return out


def build_content(periods: list[tuple[str, Consolidated]], parties: list[Party]) -> ReportContent:
    """Merge one or more consolidated views (oldest first) for the given parties."""
    latest = periods[-1][1]
    multi_party = len(parties) > 1
    wanted = {p.pk for p in parties}
    names = {p.pk: p.body.name for p in parties}
    shorts = {p.pk: party_short_name(p) for p in parties}
    items: list[ItemView] = []
    appendix: list[CommitmentView] = []
    counts: dict[str, int] = {}
    indicators: list[IndicatorRow] = []
    difficulties: list[Statement] = []
    proposals: list[Statement] = []
    # (item id, party id) -> per period: {commitment id: entry}, and whether the party's report was visible
    columns: dict[tuple[int, int], list[tuple[str, bool, dict[int, ProgressEntry | None]]]] = {}
    for label, cons in periods:
        for block in cons.items:
            for column in block.columns:
                if column.party.pk in wanted:
                    rows = {row.commitment.pk: row.entry for row in column.rows}
                    columns.setdefault((block.item.pk, column.party.pk), []).append((label, column.visible, rows))
    item: CooperationItem
    for block in latest.items:
        item = block.item
        blocks: list[PartyBlock] = []
        # A commitment's number is its place in the item (2.1, 2.2, ...) whichever parties a document covers.
        positions = {c.pk: place for place, c in enumerate(item.commitments.all(), start=1)}
        for column in block.columns:
            if column.party.pk not in wanted:
                continue
            history = columns.get((item.pk, column.party.pk), [])
            visible = any(v for _label, v, _rows in history)
            views = []
            for row in column.rows:
                commitment = row.commitment
                entries = [(label, rows.get(commitment.pk)) for label, _v, rows in history]
                entry = next((e for _label, e in reversed(entries) if e is not None), None)
                status = entry.status if entry is not None else NO_DATA
                sentence, cell, indicator_row = _indicator(commitment, entry)
                view = CommitmentView(
                    number=f"{item.number}.{positions[commitment.pk]}",
                    description=commitment.description,
                    party_name=names[column.party.pk],
                    party_short=shorts[column.party.pk],
                    due=f"thời hạn {commitment.due_on:%d/%m/%Y}" if commitment.due_on else STANDING,
                    status=status,
                    status_label=STATUS_LABELS.get(status, status),
                    percent=entry.percent_complete if entry is not None else None,
                    indicator=sentence,
                    indicator_cell=cell,
                    results=[
                        Labelled(label if len(periods) > 1 else "", paragraphs(e.results))
                        for label, e in entries
                        if e is not None and e.results.strip()
                    ],
                )
                views.append(view)
                appendix.append(view)
                counts[status] = counts.get(status, 0) + 1
                if indicator_row is not None:
                    indicators.append(indicator_row)
                if entry is not None and entry.difficulties.strip():
                    difficulties.append(
                        Statement(_heading(multi_party, view.party_short, view), paragraphs(entry.difficulties))
                    )
                if entry is not None and entry.proposals.strip():
                    proposals.append(
                        Statement(_heading(multi_party, view.party_short, view), paragraphs(entry.proposals))
                    )
            note = "" if visible or not views else "Bên này chưa gửi báo cáo kỳ này."
            blocks.append(PartyBlock(names[column.party.pk], note, views))
        items.append(ItemView(item.number, item.text, blocks))
    latest_reports = [(names[p.pk], latest.reports.get(p.pk) if latest.visible.get(p.pk) else None) for p in parties]
    assessments: list[Statement] = []
    for label, cons in periods:
        for party in parties:
            report = cons.reports.get(party.pk) if cons.visible.get(party.pk) else None
            texts = paragraphs(report.overall_assessment) if report is not None else []
            if texts:
                heading = " – ".join(part for part in (names[party.pk] if multi_party else "", label) if part)
                assessments.append(Statement(heading, texts))
    no_data = counts.pop(NO_DATA, 0)
    return ReportContent(
        items=items,
        appendix=appendix,
        assessments=assessments,
        shortcomings=_statements(latest_reports, "shortcomings", multi_party),
        difficulties=difficulties,
        proposals=proposals,
        next_tasks=_statements(latest_reports, "next_period_tasks", multi_party),
        status_counts=counts,
        no_data=no_data,
        indicators=indicators,
        party_count=len(parties),
        multi_party=multi_party,
    )
