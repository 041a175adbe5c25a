"""An entry's values drawn in Python ({% entry_values %}, reporting/templatetags/entries.py) are the HTML the
template reporting/_entry_values.html wrote, character for character: with and without an indicator or a figure,
each text or none, evidence or none, markup in every text escaped, in Vietnamese and English; and both pages that
show them (the period page, a report's page) still do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from reporting.models import Evidence, ProgressEntry
from tests.support import FROZEN_AT, plan_report

pytestmark = pytest.mark.django_db

# reporting/_entry_values.html as it was, the reference.
REFERENCE = """{% load i18n numbers %}<dl class="values">
  <dt>{% translate "Tình trạng" %}</dt><dd><span class="pill status-{{ e.status }}">{{ e.status_label }}</span> · {{ e.percent_complete|number }}%</dd>
  {% if e.commitment.has_indicator %}<dt>{% translate "Chỉ tiêu" %}</dt><dd>{{ e.actual_value|number|default:"—" }} / {{ e.commitment.target|number }} {{ e.commitment.indicator_unit }}</dd>{% endif %}
  {% if e.results %}<dt>{% translate "Kết quả" %}</dt><dd class="prose">{{ e.results|linebreaksbr }}</dd>{% endif %}
  {% if e.difficulties %}<dt>{% translate "Khó khăn, vướng mắc" %}</dt><dd class="prose">{{ e.difficulties|linebreaksbr }}</dd>{% endif %}
  {% if e.proposals %}<dt>{% translate "Kiến nghị, đề xuất" %}</dt><dd class="prose">{{ e.proposals|linebreaksbr }}</dd>{% endif %}
  {% if e.evidence.all %}<dt>{% translate "Minh chứng" %}</dt><dd>{% for ev in e.evidence.all %}<a href="{% url 'evidence_download' ev.pk %}">{{ ev.original_name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</dd>{% endif %}
</dl>
"""

HOSTILE = "<b>\"đậm\"</b> & 'x' {{ y }} %(s)s"


def _entries() -> list[ProgressEntry]:
    """A report's entries made into every kind: a figure or none (zero included), texts or none, evidence."""
    report = plan_report(2)
    entries = list(report.entries.select_related("commitment__item").order_by("commitment__item__number", "pk"))
    first, second, *_ = entries
    commitment = first.commitment
    commitment.indicator_name, commitment.indicator_unit, commitment.target = HOSTILE, "tỉ <đồng>", Decimal("101000.5")
    commitment.save()
    ProgressEntry.objects.filter(pk=first.pk).update(
        status="on_track",
        actual_value=Decimal("6.6"),
        percent_complete=40,
        results=f"Dòng một {HOSTILE}\nDòng hai\n\nDòng bốn",
        difficulties=HOSTILE,
        proposals="Đề xuất",
    )
    ProgressEntry.objects.filter(pk=second.pk).update(actual_value=Decimal(0), results="", proposals=HOSTILE)
    for name in (f"biên bản {HOSTILE}.pdf", "ảnh.png"):
        Evidence.objects.create(
            entry=second, file="evidence/x.pdf", original_name=name, content_type="application/pdf", size=512
        )
    return list(report.entries.select_related("commitment__item").prefetch_related("evidence").order_by("pk"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_same_html_as_the_template(demo, travel, language):
    travel(FROZEN_AT)
    entries = _entries()
    assert any(e.commitment.has_indicator and e.actual_value is None for e in entries) or len(entries) > 2
    reference = engines["django"].from_string(REFERENCE)
    drawn = engines["django"].from_string("{% load entries %}{% entry_values e %}")
    with translation.override(language):
        for entry in entries:
            expected = reference.render({"e": entry})
            assert drawn.render({"e": entry}) == expected
            assert "<b>" not in expected
    kinds = {(e.commitment.has_indicator, bool(e.results), bool(e.evidence.all())) for e in entries}
    assert {(True, True, False), (True, False, True)} <= kinds  # the shapes made above were drawn


def test_the_period_page_and_the_report_page_show_an_entry_s_values(demo, users, travel, client):
    travel(FROZEN_AT)
    entries = _entries()
    second = next(e for e in entries if e.evidence.all())
    report = second.report
    report.state = "submitted"
    report.save(update_fields=["state"])
    client.force_login(users["la.coord"])
    for url in (reverse("report_detail", args=[report.pk]), reverse("period_detail", args=[report.period_id])):
        page = client.get(url).content.decode()
        assert reverse("evidence_download", args=[second.evidence.all()[0].pk]) in page, url
        assert "&lt;b&gt;" in page and '<b>"' not in page, url
