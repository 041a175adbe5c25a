"""The dashboards' rate cells, a leader's agreement rows and the agreement dashboard's status cells drawn in Python
({% rate_cell %}, {% timeliness_cell %}, {% standing_rows %}, {% status_cells %}: reporting/templatetags/rates.py) are the HTML the templates wrote before, character for
character: a rate with and without reports due, an agreement with and without overdue commitments and a next
deadline, a long title cut, markup in every text escaped; in Vietnamese and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from agreements.models import Agreement, Commitment
from reporting.dashboards import AgreementStanding, Rate, StatusRow, _status_counts
from reporting.templatetags.rates import rate_cell, standing_rows, status_cells, timeliness_cell
from tests.support import programme

pytestmark = pytest.mark.django_db

# templates/reporting/_rate.html as it was.
RATE = """{% load i18n numbers %}{% if rate.due %}<span title="{% blocktranslate with sent=rate.sent due=rate.due on_time=rate.on_time %}Đã gửi {{ sent }}/{{ due }} báo cáo đến hạn, {{ on_time }} đúng hạn{% endblocktranslate %}">{{ rate.rate|number }}%</span>{% else %}<span class="muted">—</span>{% endif %}"""

TIMELINESS = """{% load numbers %}{% if rate.due %}{{ rate.timeliness|number }}%{% else %}—{% endif %}"""

# The leader's home page's loop as it was, with RATE where it included _rate.html.
ROWS = """{% load i18n numbers %}{% for s in standings %}
      <tr><td data-label="{% translate 'Thỏa thuận' context 'column' %}"><a href="{% url 'agreement_dashboard' s.agreement.pk %}">{{ s.agreement.title|truncatechars:110 }}</a><br><small class="muted">{{ s.agreement.period_label }}</small></td>
        <td data-label="{% translate 'Tình trạng' %}"><span class="badge">{{ s.agreement.status_label }}</span></td>
        <td data-label="{% translate 'Báo cáo đã gửi' %}">{% with rate=s.rate %}RATE{% endwith %}</td>
        <td data-label="{% translate 'Đúng hạn (%)' %}">{% if s.rate.due %}{{ s.rate.timeliness|number }}%{% else %}—{% endif %}</td>
        <td data-label="{% translate 'Cam kết hoàn thành' %}">{{ s.done|number }}/{{ s.commitments|number }}</td>
        <td data-label="{% translate 'Quá hạn' %}">{% if s.overdue %}<a class="overdue" href="{% url 'commitment_list' %}?agreement={{ s.agreement.pk }}&amp;overdue=1">{{ s.overdue|number }}</a>{% else %}0{% endif %}</td>
        <td data-label="{% translate 'Hạn nộp tới' %}">{{ s.next_deadline|date:"d/m/Y"|default:"—" }}</td></tr>
    {% endfor %}""".replace("RATE", RATE.removeprefix("{% load i18n numbers %}"))

RATES = [
    Rate(on_time=1234, late=3, returned=1, overdue=2),
    Rate(on_time=2, late=1, overdue=0),
    Rate(not_due=4),
    Rate(),
    Rate(late=0, overdue=3),
]


def _render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("rate", RATES)
def test_rate_cells_as_the_template(demo, language, rate):
    with translation.override(language):
        assert rate_cell(rate) == _render(RATE, rate=rate)
        assert timeliness_cell(rate) == _render(TIMELINESS, rate=rate)


def test_a_rate_says_what_it_counts(demo):
    with translation.override("vi"):
        assert rate_cell(RATES[0]) == '<span title="Đã gửi 1237/1239 báo cáo đến hạn, 1234 đúng hạn">99,8%</span>'
        assert timeliness_cell(RATES[0]) == "99,6%"
    with translation.override("en"):
        assert rate_cell(RATES[1]) == '<span title="3 of 3 due reports submitted, 2 on time">100%</span>'
    assert rate_cell(Rate(not_due=5)) == '<span class="muted">—</span>' and timeliness_cell(Rate()) == "—"


def _standings() -> list[AgreementStanding]:
    agreement = programme()
    other = Agreement.objects.exclude(pk=agreement.pk).first()
    assert other is not None
    agreement.title = "Chương trình <hợp tác> “Long An” & 'Tây Ninh' " + "rất dài " * 20
    other.title, other.period_start, other.period_end = (
        "Kế hoạch <b>năm</b>",
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
    )
    statuses = _status_counts([(Commitment.Status.DONE, 1200), (Commitment.Status.DELAYED, 5)])
    return [
        AgreementStanding(agreement, RATES[0], statuses, 1005, dt.date(2027, 1, 15)),
        AgreementStanding(other, RATES[3], _status_counts([]), 0, None),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_standing_rows_as_the_template(demo, language):
    standings = _standings()
    with translation.override(language):
        drawn = standing_rows(standings)
        assert drawn == _render(ROWS, standings=standings)
    assert "&lt;hợp tác&gt;" in drawn and "<b>" not in drawn and "…" in drawn
    assert ("1.005" if language == "vi" else "1,005") in drawn and "15/01/2027" in drawn
    assert ("năm 2021" if language == "vi" else "2021") in drawn


def test_no_standings_draw_nothing(demo):
    assert standing_rows([]) == ""


# The agreement dashboard's cells of an item's or a sector's row, as the template drew them.
STATUS_CELLS = """{% load numbers %}{% for value, label, n in row.counts %}<td data-label="{{ label }}">{% if n %}{{ n|number }}{% else %}<span class="muted">0</span>{% endif %}</td>{% endfor %}<td data-label="{{ total_heading }}"><strong>{{ row.total|number }}</strong></td>"""


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "counts",
    [
        {},
        {"done": 1},
        {"not_started": 1234, "at_risk": 3, "done": 12, "cancelled": 1001},
        {value: 2 for value in Commitment.Status.values},
    ],
)
def test_status_cells_as_the_template_drew_them(language, counts):
    with translation.override(language):
        row = StatusRow("1. <b>Nội dung</b>", _status_counts(counts.items()))
        total_heading = "Tổng <&>"
        context = {"row": row, "total_heading": total_heading}
        expected = engines["django"].from_string(STATUS_CELLS).render(context)
        assert status_cells(row, total_heading) == expected
        assert expected.count("<td") == len(Commitment.Status.choices) + 1 and "<&>" not in expected
