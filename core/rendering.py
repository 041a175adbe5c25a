"""Forms drawn fast: Django's widget and form templates through Jinja2, everything else as before.

A report form draws about 500 widgets, the admin's agreement form 300 (1,300 options): with the Django
template engine that was three quarters of those pages' time. Django ships each of its form templates in
both languages, the same markup; Jinja2 compiles them to Python. Templates it does not have (the admin's
widget wrappers, any of ours) are drawn by the Django engine, as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
