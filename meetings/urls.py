from django.urls import URLPattern, path

from meetings import lists, views

urlpatterns: list[URLPattern] = [
    path("meetings/", lists.meeting_list, name="meeting_list"),
    path("meetings/export.<str:fmt>", lists.meeting_export, name="meeting_export"),
    path("agreements/<int:agreement_id>/review-report/<int:year>.pdf", views.review_pdf, name="document_review_pdf"),
    path(
        "agreements/<int:agreement_id>/review-report/<int:year>/issue/",
        views.review_issue,
        name="document_review_issue",
    ),
]
