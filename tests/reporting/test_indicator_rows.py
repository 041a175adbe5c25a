"""The agreement dashboard's indicator rows drawn in Python ({% indicator_rows %}, reporting/templatetags/indicators.py)
are the HTML the template wrote before, character for character: with and without an actual value, its date
and share; markup in every text escaped; in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from agreements.models import Commitment
from reporting.dashboards import Indicator
from reporting.templatetags.indicators import indicator_rows
from tests.support import programme

pytestmark = pytest.mark.django_db

# The template's rows as they were, the reference.
REFERENCE = """{% load i18n numbers %}{% translate "Chỉ tiêu" as l_name %}{% translate "Bên chủ trì" as l_party %}{% translate "Mục tiêu" context "indicator target" as l_target %}{% translate "Thực hiện" context "indicator actual value" as l_actual %}{% translate "Đạt" context "share of the target reached" as l_share %}{% translate "đến" as l_until %}{% translate "chưa có số liệu" as l_none %}{% for i in indicators %}{% with c=i.commitment %}
        <tr><td data-label="{{ l_name }}">{{ c.indicator_name }}</td>
          <td data-label="{{ l_party }}">{{ c.responsible_party.body.name }}</td>
          <td data-label="{{ l_target }}">{{ c.target|number }} {{ c.indicator_unit }}</td>
          <td data-label="{{ l_actual }}">{% if i.actual is not None %}{{ i.actual|number }} {{ c.indicator_unit }}<br><small class="muted">{{ l_until }} {{ i.actual_end|date:"d/m/Y" }}</small>{% else %}<span class="muted">{{ l_none }}</span>{% endif %}</td>
          <td data-label="{{ l_share }}">{% if i.percent is not None %}{{ i.percent|number }}%{% else %}—{% endif %}</td></tr>{% endwith %}
      {% endfor %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_same_html_as_the_template(demo, language):
    first, second, *_ = Commitment.objects.filter(item__agreement=programme()).select_related("responsible_party__body")
    first.indicator_name, first.indicator_unit = "Kim ngạch <xuất khẩu> & “bán lẻ”", "tỷ <b>đồng</b>"
    first.target = Decimal("101000")
    first.responsible_party.body.name = "Sở <i>Công</i> Thương 'x'"
    second.indicator_name, second.indicator_unit, second.target = "Số doanh nghiệp", "doanh nghiệp", Decimal("6.6")
    indicators = [
        Indicator(first, Decimal("50500.25"), dt.date(2026, 6, 30), Decimal("0.5")),
        Indicator(second, None, None, None),
        Indicator(second, Decimal("0"), dt.date(2025, 12, 31), Decimal("0")),
    ]
    with translation.override(language):
        expected = engines["django"].from_string(REFERENCE).render({"indicators": indicators})
        drawn = indicator_rows(indicators)
    assert drawn == expected
    assert "&lt;xuất khẩu&gt;" in drawn and "<i>" not in drawn and "<b>" not in drawn
    assert ("101.000" if language == "vi" else "101,000") in drawn and "50%" in drawn


def test_no_indicators_draw_nothing(demo):
    assert indicator_rows([]) == ""
