"""URLs of the official documents (PDF); see reporting/documents/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
