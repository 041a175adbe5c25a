from django.urls import URLPattern, path

from meetings import lists, views

urlpatterns: list[URLPattern] = [
    path("meetings/", lists.meeting_list, name="meeting_list"),
    path("meetings/export.<str:fmt>", lists.meeting_export, name="meeting_export"),
    path("agreements/<int:agreement_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:meeting_id>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/decisions/new/", views.meeting_decision_add, name="meeting_decision_add"),
    path(
        "meetings/<int:meeting_id>/decisions/<int:decision_id>/edit/",
        views.meeting_decision_edit,
        name="meeting_decision_edit",
    ),
    path(
        "meetings/<int:meeting_id>/decisions/<int:decision_id>/adopt/",
        views.meeting_decision_adopt,
        name="meeting_decision_adopt",
    ),
    path("agreements/<int:agreement_id>/review-report/<int:year>.pdf", views.review_pdf, name="document_review_pdf"),
    path(
        "agreements/<int:agreement_id>/review-report/<int:year>/issue/",
        views.review_issue,
        name="document_review_issue",
    ),
]
