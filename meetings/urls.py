from django.urls import URLPattern, path

from meetings import views

urlpatterns: list[URLPattern] = [
    path("agreements/<int:agreement_id>/review-report/<int:year>.pdf", views.review_pdf, name="document_review_pdf"),
    path(
        "agreements/<int:agreement_id>/review-report/<int:year>/issue/",
        views.review_issue,
        name="document_review_issue",
    ),
]
