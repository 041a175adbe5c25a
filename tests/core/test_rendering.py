"""The form renderer (core.rendering) draws inputs, selects and text areas in Python: the same characters as
Django's own Jinja2 templates, for any name, value, attributes and options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django
import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.utils.functional import lazystr  # lazy text, as labels are, without a message to translate
from django.utils.html import format_html as django_format_html
from django.utils.html import format_html_join as django_format_html_join
from django.utils.safestring import SafeString, mark_safe
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.rendering import DRAWN, INPUT_TEMPLATES, FormRenderer
from core.rendering import format_html as core_format_html
from core.rendering import format_html_join as core_format_html_join
from reporting.forms import EntryForm
from reporting.models import ProgressEntry

OURS = FormRenderer()
DJANGOS = Jinja2()

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12) | st.sampled_from(
    ["", " ", "a b", '"', "'", "<b>&amp;</b>", "Tây Ninh", "{{ x }}", "{% if %}", "\n", "0"]
)
NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,10}", fullmatch=True)
# 1 and 0 equal True and False, but only True and False themselves are a bare name or no attribute.
ATTR_VALUES = st.one_of(
    TEXT,
    st.booleans(),
    st.sampled_from([0, 1, 0.0, 1.0]),
    st.integers(-5, 500),
    st.just(lazystr("Chọn")),
    st.none(),
)
ATTRS = st.dictionaries(
    st.sampled_from(
        [
            "class",
            "id",
            "min",
            "max",
            "rows",
            "required",
            "disabled",
            "data-x",
            "placeholder",
            "accept",
            "aria-describedby",
            "inputmode",
        ]
    ),
    ATTR_VALUES,
    max_size=5,
)
VALUES = st.one_of(
    st.none(), TEXT, st.integers(-10, 10**6), st.decimals(allow_nan=False, allow_infinity=False, places=2)
)

INPUTS = [
    forms.TextInput,
    forms.NumberInput,
    forms.HiddenInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.FileInput,
    forms.CheckboxInput,
]


def both(widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any]) -> tuple[str, str]:
    return widget.render(name, value, attrs, renderer=OURS), widget.render(name, value, attrs, renderer=DJANGOS)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(INPUTS), name=NAMES | TEXT, value=VALUES, base=ATTRS, extra=ATTRS)
def test_inputs_as_djangos_templates_draw_them(kind, name, value, base, extra):
    ours, djangos = both(kind(attrs=base), name, value, extra)
    assert ours == djangos


@settings(max_examples=200, deadline=None)
@given(name=NAMES, value=VALUES, base=ATTRS, extra=ATTRS)
def test_text_areas_as_djangos_templates_draw_them(name, value, base, extra):
    ours, djangos = both(forms.Textarea(attrs=base), name, value, extra)
    assert ours == djangos


CHOICE = st.tuples(TEXT | st.integers(0, 99), TEXT | st.just(lazystr("Hủy bỏ")))
CHOICES = st.lists(CHOICE | st.tuples(TEXT, st.lists(CHOICE, max_size=3)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from([forms.Select, forms.SelectMultiple, forms.NullBooleanSelect]),
    name=NAMES,
    choices=CHOICES,
    value=VALUES | st.lists(TEXT, max_size=3),
    base=ATTRS,
    extra=ATTRS,
)
def test_selects_as_djangos_templates_draw_them(kind, name, choices, value, base, extra):
    assume(kind is not forms.NullBooleanSelect or not isinstance(value, list))  # its values are a yes, a no or none
    widget = kind(attrs=base) if kind is forms.NullBooleanSelect else kind(attrs=base, choices=choices)
    ours, djangos = both(widget, name, value, extra)
    assert ours == djangos


def test_a_select_whose_options_have_their_own_template_is_left_to_jinja2():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Fancy(choices=[("a", "A")])
    context = widget.get_context("s", "a", None)
    assert DRAWN["django/forms/widgets/select.html"](context["widget"]) is None
    assert widget.render("s", "a", renderer=OURS) == widget.render("s", "a", renderer=DJANGOS)


def test_other_templates_still_go_through_jinja2_and_then_djangos_engine():
    radio = forms.RadioSelect(choices=[("a", "A"), ("b", "<B>")])
    assert radio.render("r", "b", renderer=OURS) == radio.render("r", "b", renderer=DJANGOS)
    # A template only the Django engine has (the admin's), as before.
    assert OURS.get_template("admin/widgets/foreign_key_raw_id.html")


@pytest.mark.django_db
def test_a_report_form_is_drawn_the_same(demo):
    entry = ProgressEntry.objects.select_related("commitment").filter(commitment__indicator_name__gt="").first()
    assert entry is not None
    form = EntryForm(instance=entry, prefix=f"e{entry.pk}", initial={"version": entry.version}, renderer=OURS)
    same = EntryForm(instance=entry, prefix=f"e{entry.pk}", initial={"version": entry.version}, renderer=DJANGOS)
    for name in form.fields:
        assert str(form[name]) == str(same[name]), name
        assert form[name].as_hidden(only_initial=True) == same[name].as_hidden(only_initial=True), name
    assert "actual_value" in form.fields  # the commitment has an indicator: every kind of field is drawn


def test_an_empty_error_list_is_nothing_and_a_full_one_is_djangos():
    from django.forms.utils import ErrorList

    assert ErrorList(renderer=OURS).render() == ErrorList(renderer=DJANGOS).render() == ""
    full = ["Một lỗi <b>", "Lỗi thứ hai"]
    assert ErrorList(full, renderer=OURS).render() == ErrorList(full, renderer=DJANGOS).render()
    assert (
        ErrorList(full, renderer=OURS, field_id="id_x").as_ul()
        == ErrorList(full, renderer=DJANGOS, field_id="id_x").as_ul()
    )


def test_the_templates_drawn_as_inputs_are_still_only_djangos_input():
    """INPUT_TEMPLATES is a list of Django's templates that only include input.html: a Django release that
    gives one of them markup of its own must take it off the list, or the renderer would draw it wrongly."""
    folder = Path(django.__file__).parent / "forms" / "jinja2"
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        assert (folder / name).read_text().strip() == '{% include "django/forms/widgets/input.html" %}', name


WRAPPER_CONTEXT = st.fixed_dictionaries(
    {
        "rendered_widget": st.sampled_from(['<select name="b"><option value="1">A &amp; B</option></select>', "x<y"]),
        "is_hidden": st.booleans(),
        "name": NAMES | TEXT,
        "url_params": st.sampled_from(["_to_field=id&_popup=1", "_to_field=code&_popup=1"]),
        "model": TEXT | st.just(lazystr("cơ quan")),
        "model_name": NAMES | TEXT,
        "can_add_related": st.booleans(),
        "can_change_related": st.booleans(),
        "can_delete_related": st.booleans(),
        "can_view_related": st.booleans(),
        "model_has_limit_choices_to": st.sampled_from([None, {}, {"kind": "province"}]),
        "add_related_url": st.just("/admin/agreements/body/add/") | TEXT,
        "change_related_template_url": st.just("/admin/agreements/body/__fk__/change/") | TEXT,
        "delete_related_template_url": st.just("/admin/agreements/body/__fk__/delete/") | TEXT,
        "view_related_url_params": st.just("_to_field=id"),
    }
)


@settings(max_examples=300, deadline=None)
@given(context=WRAPPER_CONTEXT, language=st.sampled_from(["vi", "en"]))
def test_the_admins_related_widget_wrapper_as_its_template_draws_it(context, language):
    """The admin's links beside a select of related rows (core.rendering._related_widget_wrapper): the characters
    of the template the Django engine finds under that name, in both languages, whatever is escaped."""
    from django.forms.renderers import DjangoTemplates
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from core.rendering import RELATED_WRAPPER

    context = {**context, "rendered_widget": mark_safe(context["rendered_widget"])}  # noqa: S308  as a widget's
    with translation.override(language):
        assert OURS.render(RELATED_WRAPPER, context) == DjangoTemplates().render(RELATED_WRAPPER, context)


@pytest.mark.django_db
def test_the_admins_agreement_form_draws_its_related_selects_as_django_does(demo, rf):
    """A party's body on the admin's agreement form: the real widget, with the user's permissions, both ways."""
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.forms.renderers import DjangoTemplates

    from agreements.models import Agreement, Party

    request = rf.get("/")
    request.user = User.objects.get(username="admin")
    inline = next(i for i in admin.site._registry[Agreement].get_inline_instances(request) if i.model is Party)
    agreement = Agreement.objects.first()
    formset = inline.get_formset(request, agreement)(instance=agreement)
    widget = formset.forms[0].fields["body"].widget
    assert type(widget).__name__ == "RelatedFieldWidgetWrapper" and widget.can_change_related
    value = formset.forms[0].instance.body_id
    assert widget.render("parties-0-body", value, renderer=OURS) == widget.render(
        "parties-0-body", value, renderer=DjangoTemplates()
    )


# Arguments as the row-drawing tags pass them: text with markup and quotes, safe HTML, lazy text, numbers, None.
FORMAT_ARGS = st.one_of(
    st.text(),
    st.text().map(mark_safe),
    st.text().map(lazystr),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.none(),
)


@given(args=st.lists(FORMAT_ARGS, max_size=5), sep=st.text(max_size=3))
def test_format_html_writes_what_djangos_writes(args, sep):
    template = "<p>" + "{} · " * len(args) + "</p>"
    if args:  # Django refuses a format_html without arguments
        assert core_format_html(template, *args) == django_format_html(template, *args)
    assert isinstance(core_format_html(template, *args), SafeString)
    rows = [(a, a) for a in args]
    assert core_format_html_join(sep, '<a title="{}">{}</a>', rows) == django_format_html_join(
        sep, '<a title="{}">{}</a>', rows
    )
