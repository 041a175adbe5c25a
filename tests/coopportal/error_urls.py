"""The app's URLs plus one page that fails, for the 500 tests (pytest.mark.urls); never in the real URLconf."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from coopportal.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [*urlpatterns, path("test-only/broken/", broken, name="test_broken")]
