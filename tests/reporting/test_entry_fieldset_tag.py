"""A draft's entry drawn in Python ({% entry_fieldset %}, reporting/templatetags/entries.py) is the HTML the
template wrote before, character for character: with and without an indicator, a coordinator's comment, an
error, a conflict, errors of the form and of its fields, last period's results, evidence, "saved"; markup in
every text escaped; in Vietnamese and English; on the edit form and as the inline save returns it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from reporting.forms import EntryForm
from reporting.models import Evidence, ProgressEntry, ProgressReport
from tests.support import form_data, plan_report

pytestmark = pytest.mark.django_db

# reporting/_entry_fieldset.html as it was, the reference.
REFERENCE = """{% load i18n numbers fields %}  <fieldset class="card entry" id="entry-{{ row.entry.pk }}"{% if row.error or row.form.errors %} data-unsaved{% endif %}>
    <legend>{% translate "Nội dung" %} {{ row.entry.commitment.item.number }}</legend>
    <p class="muted item-text">{{ row.entry.commitment.item.text|truncatechars:200 }}</p>
    <p class="commitment"><strong>{{ row.entry.commitment.description }}</strong>
      {% if row.entry.commitment.has_indicator %}<br><small>{% translate "Chỉ tiêu" %}: {{ row.entry.commitment.indicator_name }} — {% translate "mục tiêu" %} {{ row.entry.commitment.target|number }} {{ row.entry.commitment.indicator_unit }}</small>{% endif %}</p>
    {% if row.entry.review_comment %}<p class="msg msg-warning">{% translate "Ý kiến của bộ phận điều phối" %}: {{ row.entry.review_comment }}</p>{% endif %}
    {% if row.error %}<p class="msg msg-error">{{ row.error }}</p>{% endif %}
    {% include "reporting/_conflict.html" with rows=row.conflict_rows %}
    {{ row.form.version }}
    {% for error in row.form.non_field_errors %}<p class="error">{{ error }}</p>{% endfor %}
    <div class="row2">
      {% field_block row.form.status %}
      {% field_block row.form.percent_complete %}
      {% if row.form.actual_value %}{% field_block row.form.actual_value %}{% endif %}
    </div>
    {% field_block row.form.results %}
    {% if row.previous and row.previous.results %}<details class="previous"><summary>{% translate "Kết quả kỳ trước" %}</summary><p class="prose">{{ row.previous.results|linebreaksbr }}</p></details>{% endif %}
    {% field_block row.form.difficulties %}
    {% field_block row.form.proposals %}
    {% if row.entry.evidence.all %}
    <ul class="evidence">{% for ev in row.entry.evidence.all %}
      <li><a href="{% url 'evidence_download' ev.pk %}">{{ ev.original_name }}</a> <small class="muted">({{ ev.size|filesize }})</small>
        <button type="submit" class="link danger" formaction="{% url 'evidence_delete' ev.pk %}" formnovalidate>{% translate "Xóa" %}</button></li>
    {% endfor %}</ul>
    {% endif %}
    {% field_block row.form.evidence %}
    <div class="inline-save">
      <button type="button" class="small"
              hx-post="{% url 'report_entry_save' report.pk row.entry.pk %}"
              hx-include="closest fieldset" hx-encoding="multipart/form-data"
              hx-target="closest fieldset" hx-swap="outerHTML"
              data-save-too-large="{% translate "Chưa lưu được: tệp đính kèm quá lớn để gửi. Hãy chọn tệp nhỏ hơn rồi lưu lại; nội dung bạn nhập vẫn còn trên trang." %}"
              data-save-failed="{% translate "Chưa lưu được: máy chủ không nhận hoặc mất kết nối. Nội dung bạn nhập vẫn còn trên trang; hãy thử lưu lại, hoặc tải lại trang nếu phiên làm việc đã hết." %}">{% translate "Lưu mục này" %}</button>
      {% if saved %}<span class="saved" role="status">{% translate "Đã lưu" %} {% now "H:i" %}</span>{% endif %}
    </div>
  </fieldset>
"""

HOSTILE = "<b>\"đậm\"</b> & 'x' {{ y }} %(s)s"


def _entries(report: ProgressReport) -> list[ProgressEntry]:
    return list(
        report.entries.select_related("commitment__item")
        .prefetch_related("evidence")
        .order_by("commitment__item__number", "pk")
    )


def _rows(report: ProgressReport) -> list[dict[str, Any]]:
    """Every kind of row: plain, with an indicator, commented, refused, in conflict, with last period's
    results and with evidence."""
    first, second, third, *rest = _entries(report)
    rows: list[dict[str, Any]] = [
        {
            "entry": entry,
            "form": EntryForm(instance=entry, initial={"version": entry.version}, prefix=f"e{entry.pk}"),
            "conflict_rows": [],
        }
        for entry in (first, second, third, *rest)
    ]
    refused = EntryForm(
        {f"e{second.pk}-status": "done", f"e{second.pk}-percent_complete": "140", f"e{second.pk}-version": "x"},
        instance=second,
        prefix=f"e{second.pk}",
    )
    assert not refused.is_valid()
    contradicting = EntryForm(
        {
            f"e{third.pk}-status": "done",
            f"e{third.pk}-percent_complete": "80",
            f"e{third.pk}-version": str(third.version),
        },
        instance=third,
        prefix=f"e{third.pk}",
    )
    assert not contradicting.is_valid()
    contradicting.add_error(None, f"Lỗi chung {HOSTILE}")
    previous = ProgressEntry(results=f"Dòng một {HOSTILE}\nDòng hai\n\nDòng bốn")
    rows += [
        {"entry": second, "form": refused, "conflict_rows": [("Kết quả", HOSTILE, "<i>mới</i>")], "error": HOSTILE},
        {"entry": third, "form": contradicting, "conflict_rows": [], "error": "", "previous": previous},
        {"entry": first, "form": rows[0]["form"], "conflict_rows": [], "previous": ProgressEntry(results="")},
    ]
    return rows


def _hostile(report: ProgressReport) -> None:
    first, second, *_ = _entries(report)
    item = first.commitment.item
    item.text = HOSTILE * 30  # truncated at 200 characters
    item.save()
    commitment = first.commitment
    commitment.description = HOSTILE
    commitment.indicator_name, commitment.indicator_unit, commitment.target = HOSTILE, "tỉ <đồng>", Decimal("101000.5")
    commitment.save()
    ProgressEntry.objects.filter(pk=first.pk).update(review_comment=f"Bổ sung số liệu {HOSTILE}")
    for name, size in ((f"biên bản {HOSTILE}.pdf", 30 * 1024 * 1024), ("ảnh.png", 512)):
        Evidence.objects.create(
            entry=second, file="evidence/x.pdf", original_name=name, content_type="application/pdf", size=size
        )


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("saved", [False, True])
def test_the_same_html_as_the_template(demo, travel, language, saved):
    from tests.support import FROZEN_AT

    travel(FROZEN_AT)
    report = plan_report(2)
    _hostile(report)
    reference = engines["django"].from_string(REFERENCE)
    drawn = get_template("reporting/_entry_fieldset.html")
    with translation.override(language):
        for row in _rows(report):
            context = {"row": row, "report": report, "saved": saved}
            expected = reference.render(context)
            assert drawn.render(context) == expected
            assert "<b>" not in expected
    assert "10:00" in expected if saved else "Đã lưu" not in expected


def test_the_edit_form_and_the_inline_save_draw_it(staff, demo):
    """The page includes it for every row, the inline save returns it: both as the template drew them."""
    report = plan_report(2)
    _hostile(report)
    url = reverse("report_edit", args=[report.pk])
    page = staff.get(url).content.decode()
    assert page.count('<fieldset class="card entry"') == report.entries.count()
    assert "&lt;b&gt;&quot;đậm&quot;&lt;/b&gt;" in page and "<b>" not in page
    entry = report.entries.order_by("commitment__item__number", "pk")[1]
    data = {k: v for k, v in form_data(staff, url).items() if k.startswith(f"e{entry.pk}-")}
    data[f"e{entry.pk}-results"] = "Đã ký 3 hợp đồng"
    response = staff.post(
        reverse("report_entry_save", args=[report.pk, entry.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'  <fieldset class="card entry" id="entry-{entry.pk}">') and html.endswith("</fieldset>\n")
    assert "Đã lưu" in html and "Đã ký 3 hợp đồng" in html and "ảnh.png" in html
