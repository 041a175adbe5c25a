"""The agreement page's commitments and the dashboards' short lists drawn in Python ({% commitment_items %},
{% commitment_rows %}: agreements/templatetags/commitments.py) are the HTML the templates wrote before, character for
character: with and without a lead body, a due date (past or not), an indicator and its baseline, bodies working
with it, the agreement's title; none; markup in every text escaped; in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.template import engines
from django.template.loader import get_template
from django.utils import translation

from agreements.models import Body, Commitment
from agreements.templatetags.commitments import commitment_items
from tests.support import programme

pytestmark = pytest.mark.django_db

# The template's loop as it was, the reference.
REFERENCE = """{% load i18n numbers %}{% for c in commitments %}
      <li id="commitment-{{ c.pk }}"><strong>{% if c.lead_body %}{{ c.lead_body.name }}</strong> <small class="muted">({% translate "thuộc bên" %} {{ c.responsible_party.body.name }})</small>{% else %}{{ c.responsible_party.body.name }}</strong>{% endif %}: {{ c.description }}
        {% if c.due_on %}<br><small>{% translate "Thời hạn" %}: {{ c.due_on|date:"d/m/Y" }}</small>{% endif %}
        {% if c.has_indicator %}<br><small>{% translate "Chỉ tiêu" %}: {{ c.indicator_name }} — {% translate "mục tiêu" %} {{ c.target|number }} {{ c.indicator_unit }}{% if c.baseline is not None %} ({% translate "nền" %} {{ c.baseline|number }}){% endif %}</small>{% endif %}
        {% if c.supporting %}<br><small class="muted">{% translate "Phối hợp" %}: {% for b in c.supporting %}{{ b.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</small>{% endif %}
        <span class="pill">{{ c.status_label }}</span>
      </li>{% endfor %}"""


def _commitments() -> list[Commitment]:
    return list(
        Commitment.objects.filter(item__agreement=programme())
        .select_related("responsible_party__body", "lead_body")
        .prefetch_related(Prefetch("supporting_bodies", to_attr="supporting"))
        .order_by("pk")
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_same_html_as_the_template(demo, language):
    first, second, third, *_ = list(Commitment.objects.filter(item__agreement=programme()).order_by("pk"))
    hostile = Body.objects.filter(pk=first.responsible_party.body_id).get()
    hostile.name = "Sở <b>\"Công\" & Thương</b> 'x'"
    hostile.save()
    first.description = "<script>alert('x')</script> & “trích dẫn”"
    first.due_on = dt.date(2026, 3, 5)
    first.indicator_name, first.indicator_unit = "Kim ngạch <xuất khẩu>", "triệu USD & %"
    first.baseline, first.target = Decimal("6.6"), Decimal("101000")
    first.lead_body = None
    first.save()
    second.lead_body = Body.objects.exclude(pk=second.responsible_party.body_id).first()
    second.due_on = None
    second.indicator_name, second.indicator_unit = "Số doanh nghiệp", "doanh nghiệp"
    second.target, second.baseline = Decimal("12"), None
    second.save()
    second.supporting_bodies.set(Body.objects.order_by("pk")[:3])
    third.indicator_name, third.indicator_unit, third.target, third.baseline = "", "", None, None  # no indicator
    third.save()
    third.supporting_bodies.set([hostile])
    commitments = _commitments()
    with translation.override(language):
        expected = engines["django"].from_string(REFERENCE).render({"commitments": commitments})
        drawn = commitment_items(commitments)
    assert drawn == expected
    assert "&lt;script&gt;" in drawn and "<script>" not in drawn and "&lt;b&gt;" in drawn
    assert ("101.000" if language == "vi" else "101,000") in drawn


def test_no_commitments_draw_nothing(demo):
    assert commitment_items([]) == ""


# templates/reporting/_commitment_rows.html as it was.
ROWS_REFERENCE = """{% load i18n %}{# A short list of commitments (context: `commitments`, `empty`); each links to its place on the agreement page. #}
<ul class="dash-list">
{% for c in commitments %}
  <li><a href="{{ c.get_absolute_url }}">{{ c.description|truncatechars:110 }}</a><br>
    <small class="muted">{% if show_agreement %}{{ c.item.agreement.title|truncatechars:70 }} · {% endif %}{{ c.responsible_party.body.name }} ·
    {% if c.due_on %}{% translate "thời hạn" %} <span{% if c.due_on < today %} class="overdue"{% endif %}>{{ c.due_on|date:"d/m/Y" }}</span>{% else %}{% translate "thường xuyên" %}{% endif %}
    · <span class="status-{{ c.status }}">{{ c.status_label }}</span></small></li>
{% empty %}<li class="muted">{{ empty }}</li>{% endfor %}
</ul>
"""


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("show_agreement", [False, True])
def test_the_dashboards_short_lists_as_the_template_drew_them(demo, language, show_agreement):
    commitments = list(
        Commitment.objects.filter(item__agreement=programme())
        .select_related("responsible_party__body", "item__agreement")
        .order_by("pk")
    )
    first, second, *_ = commitments
    first.description, first.due_on = "<b>Đầu tư</b> & 'x' " * 20, None
    first.item.agreement.title = "<i>Chương trình</i> " * 10
    second.due_on = dt.date(2026, 1, 1)
    assert any(c.due_on and c.due_on >= dt.date(2026, 1, 1) for c in commitments[1:])
    reference = engines["django"].from_string(ROWS_REFERENCE)
    drawn = get_template("reporting/_commitment_rows.html")
    with translation.override(language):
        for rows in (commitments, []):
            context = {"commitments": rows, "empty": "Không có <gì>.", "today": dt.date(2026, 1, 2)}
            if show_agreement:
                context["show_agreement"] = True
            expected = reference.render(context)
            assert drawn.render(context) == expected
            assert "<b>" not in expected and "<gì>" not in expected
            assert ('class="overdue"' in expected) == bool(rows)  # the second is past due on the 2nd of January
