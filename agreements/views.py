from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def agreement_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    return HttpResponse("")
