from __future__ import annotations

from django import forms

from notifications.models import Preference


class PreferenceForm(forms.ModelForm[Preference]):
    class Meta:
        model = Preference
        fields = ["delivery", "language"]
        widgets = {"delivery": forms.RadioSelect, "language": forms.RadioSelect}
