"""core.text.fold: search ignores Vietnamese diacritics and case."""

from __future__ import annotations

import unicodedata

import pytest

from core.text import choice_label, fold


@pytest.mark.parametrize("text", ["tay ninh", "Tây Ninh", "TÂY NINH", "  Tây   Ninh "])
def test_the_same_province_however_it_is_typed(text):
    assert fold(text) == "tay ninh"


def test_d_with_stroke_and_decomposed_input():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold(unicodedata.normalize("NFD", "Thừa Thiên Huế")) == "thua thien hue"


def test_choice_label_is_get_foo_display_in_either_language():
    """The labels lists of hundreds of rows show (Commitment.status_label, ProgressReport.state_label) are Django's
    own, in the active language; a value outside the choices is shown as stored."""
    from django.utils import translation

    from agreements.models import Commitment
    from reporting.models import ProgressEntry, ProgressReport

    commitment = Commitment(status=Commitment.Status.AT_RISK)
    report = ProgressReport(state=ProgressReport.State.RETURNED)
    for language in ("vi", "en"):
        with translation.override(language):
            assert commitment.status_label == commitment.get_status_display()
            assert report.state_label == report.get_state_display()
            for status in Commitment.Status:
                entry = ProgressEntry(status=status)
                assert entry.status_label == entry.get_status_display()
    with translation.override("en"):
        assert report.state_label == "Returned for revision"
    assert choice_label(Commitment.Status, "withdrawn") == "withdrawn"


def test_choice_labels_are_the_choices_in_the_active_language_each_time():
    """core.text.choice_labels, translated once per language: switching back and forth gives each language's own."""
    from django.utils import translation

    from agreements.models import Commitment
    from core.text import choice_labels

    for language in ("vi", "en", "vi", "en"):
        with translation.override(language):
            assert choice_labels(Commitment.Status) == tuple(
                (value, str(label)) for value, label in Commitment.Status.choices
            )
    with translation.override("en"):
        assert dict(choice_labels(Commitment.Status))["done"] == "Completed"
    with translation.override("vi"):
        assert dict(choice_labels(Commitment.Status))["done"] == "Hoàn thành"
