from django.urls import URLPattern, path

from agreements import views

urlpatterns: list[URLPattern] = [
    path("agreements/", views.agreement_list, name="agreement_list"),
]
