"""Long reports paged by cooperation item: the period page, a report's page and its edit form (issue 11).

A page is a run of whole items in their order, never an item cut in two: people, the signed text and the
documents all number commitments inside their item ("Nội dung 12"), and a pager that says "Nội dung 11–17"
reads better than "cam kết 201–400".  Pages close at a number of rows rather than of items, because items
differ (two commitments in one, forty in the next): a page is filled with items while their rows fit in its
budget, and an item bigger than the budget has a page of its own.

One query reads the outline (every item's number, the start of its text and its number of rows); the page's
rows are then read by the caller for the page's items only, in a fixed number of queries.  `?page=N` is read
as Django's Paginator.get_page reads it (not a number: the first page; past the end: the last one);
`?item=<number>` answers with a redirect to the page holding that item, at its anchor (`#item-<number>`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Left
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements.models import CooperationItem
from core.http import id_param
from core.text import shorten
from reporting.models import ProgressReport, ReportingPeriod

# The period page: every party's commitments of an item side by side, read-only. The issue asks for 100 to 200
# commitments a page: 1,000 commitments in 50 items of 20 make 8 pages of (at most) 7 items; an agreement of
# the usual size (a few dozen commitments) is one page, without a pager.
PERIOD_ROWS = 150
# A report's page and its edit form, one party's entries. Each entry is a form of up to 13 fields (every value
# with its hidden initial, and the version) and a file input: 40 of them, some 520 fields and 40 file inputs,
# stay well below what Django takes in one POST (DATA_UPLOAD_MAX_NUMBER_FIELDS: 1,000 fields;
# DATA_UPLOAD_MAX_NUMBER_FILES: 100 file inputs, empty ones included, or the save is answered 400), and a
# page that long is still read through before saving.  The report's page is cut the same way, so that its
# page N is the form's page N.
REPORT_ROWS = 40
# Items without rows (no commitment yet) weigh nothing: the pager's labels stay short all the same.
MAX_ITEMS = 20
HEAD = 90  # characters of an item's text in the jump list


@dataclass(frozen=True)
class OutlineItem:
    pk: int
    number: int
    head: str  # the start of its text, for the jump list
    rows: int  # what it puts on a page: its commitments (period page) or the report's entries in it


@dataclass
class ItemPager:
    page: Page[list[OutlineItem]]  # one run of items (Paginator over the runs)
    items: list[OutlineItem]  # the items of this page
    outline: list[OutlineItem]  # every item, for the jump list
    labels: list[tuple[int, str]]  # (page number, "Nội dung 1–7") of every page
    keep: list[tuple[str, str]] = field(default_factory=list)  # the other query parameters, for the jump form
    jump: str = ""  # `?item=` asked for an item: the address of its page

    @property
    def item_ids(self) -> list[int]:
        return [item.pk for item in self.items]

    @property
    def is_paged(self) -> bool:
        return self.page.paginator.num_pages > 1


def runs(outline: Sequence[OutlineItem], budget: int) -> list[list[OutlineItem]]:
    """The items cut into pages of whole items, each holding at most `budget` rows unless one item alone is more."""
    pages: list[list[OutlineItem]] = []
    rows = 0
    for item in outline:
        if pages and rows + item.rows <= budget and len(pages[-1]) < MAX_ITEMS:
            pages[-1].append(item)
            rows += item.rows
        else:
            pages.append([item])
            rows = item.rows
    return pages


def _label(items: Sequence[OutlineItem]) -> str:
    if not items:
        return ""
    first, last = items[0].number, items[-1].number
    if first == last:
        return _("Nội dung %(n)s") % {"n": first}
    return _("Nội dung %(first)s–%(last)s") % {"first": first, "last": last}


def _flat(page: Page[list[OutlineItem]]) -> list[OutlineItem]:
    # One run per page; a Paginator made to hold more per page (the scale test's) gives several.
    return [item for run in page.object_list for item in run]


def pager(request: HttpRequest, outline: list[OutlineItem], budget: int, *, holding: int | None = None) -> ItemPager:
    """The page `?page=` asks for, or the address of the page holding `?item=` (in `jump`).

    `holding`: an item's id whose page is shown whatever `?page=` says (a link to one of its commitments).
    """
    paginator = Paginator(runs(outline, budget), 1)
    wanted = _page_of(paginator, lambda item: item.pk == holding) if holding is not None else request.GET.get("page")
    page = paginator.get_page(wanted)
    labels = [(n, _label(_flat(paginator.page(n)))) for n in paginator.page_range] if paginator.count else []
    keep = [(name, value) for name, values in request.GET.lists() if name not in ("page", "item") for value in values]
    found = _jump(request, paginator, outline)
    return ItemPager(page=page, items=_flat(page), outline=outline, labels=labels, keep=keep, jump=found)


def _jump(request: HttpRequest, paginator: Paginator[list[OutlineItem]], outline: list[OutlineItem]) -> str:
    """The address of the page holding the item `?item=<number>` names ("" if it names none of these)."""
    number = id_param(request.GET.get("item", ""))
    if number is None or not any(item.number == number for item in outline):
        return ""
    target = _page_of(paginator, lambda item: item.number == number)
    params = request.GET.copy()
    params.pop("item", None)
    params["page"] = str(target)
    return f"{request.path}?{params.urlencode()}#item-{number}"


def _outline(items: QuerySet[CooperationItem]) -> list[OutlineItem]:
    """Items annotated with `rows`, as OutlineItems in their order: one query."""
    return [
        OutlineItem(pk=pk, number=number, head=shorten(head, HEAD), rows=rows)
        for pk, number, head, rows in items.annotate(head=Left("text", HEAD + 40))
        .order_by("number")
        .values_list("pk", "number", "head", "rows")
    ]


def agreement_outline(agreement_id: int) -> list[OutlineItem]:
    """Every item of the agreement, weighed by its commitments (the agreement page, the period page)."""
    return _outline(CooperationItem.objects.filter(agreement_id=agreement_id).annotate(rows=Count("commitments")))


def period_outline(period: ReportingPeriod) -> list[OutlineItem]:
    """Every item of the period's agreement, weighed by its commitments."""
    return agreement_outline(period.agreement_id)


def report_outline(report: ProgressReport) -> list[OutlineItem]:
    """The items holding the report's entries (its party's commitments), weighed by those entries."""
    # Filtered before it is annotated: the count is of the joined entries of this report only.
    return _outline(
        CooperationItem.objects.filter(commitments__entries__report_id=report.pk).annotate(
            rows=Count("commitments__entries")
        )
    )


def _page_of(paginator: Paginator[list[OutlineItem]], wanted: Callable[[OutlineItem], bool]) -> int:
    return next((n for n in paginator.page_range if any(wanted(item) for item in _flat(paginator.page(n)))), 1)


def page_holding(outline: list[OutlineItem], budget: int, item_id: int) -> int:
    """The number of the page (as `pager` cuts them) holding the item; 1 if none does."""
    return _page_of(Paginator(runs(outline, budget), 1), lambda item: item.pk == item_id)
