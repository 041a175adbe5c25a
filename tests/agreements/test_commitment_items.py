"""The agreement page's commitments drawn in Python ({% commitment_items %}, agreements/templatetags/commitments.py)
are the HTML the template wrote before, character for character: with and without a lead body, a due date, an
indicator and its baseline, bodies working with it; markup in every text escaped; in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.template import engines
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
