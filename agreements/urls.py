from django.urls import URLPattern, path

from agreements import views

urlpatterns: list[URLPattern] = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.<str:fmt>", views.agreement_export, name="agreement_export"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/export.<str:fmt>", views.commitment_export, name="commitment_export"),
]
