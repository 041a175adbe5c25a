"""`{% field_block %}` (core.templatetags.fields): a field with its label, widget, help text and errors, escaped."""

from __future__ import annotations

from django import forms
from django.template import engines

TEMPLATE = engines["django"].from_string("{% load fields %}{% field_block form.name %}")


class NameForm(forms.Form):
    name = forms.CharField(label="Tên <cơ quan>", help_text="Ví dụ: Sở Công Thương & Du lịch", max_length=5)


def test_a_field_with_its_label_widget_and_help_text():
    html = TEMPLATE.render({"form": NameForm(initial={"name": "Tây"})})
    assert html == (
        '<div class="field">\n'
        '  <label for="id_name">Tên &lt;cơ quan&gt;</label>\n'
        '  <input type="text" name="name" value="Tây" maxlength="5" required aria-describedby="id_name_helptext"'
        ' id="id_name">\n'
        '  <small class="muted">Ví dụ: Sở Công Thương &amp; Du lịch</small>\n'
        "  \n"
        "</div>\n"
    )


def test_errors_mark_the_field_and_are_listed_escaped():
    form = NameForm(data={"name": "<script>"})
    assert not form.is_valid()
    html = TEMPLATE.render({"form": form})
    assert html.startswith('<div class="field has-error">')
    assert html.count('<p class="error">') == len(form.errors["name"]) == 1
    assert "<script>" not in html
    assert 'value="&lt;script&gt;"' in html
