"""URLs of the official documents (PDF); see reporting/documents/."""

from django.urls import URLPattern, path

from reporting import document_views as views

urlpatterns: list[URLPattern] = [
    path("reports/<int:report_id>/pdf/", views.report_pdf, name="document_report_pdf"),
    path("periods/<int:period_id>/consolidated.pdf", views.consolidated_pdf, name="document_consolidated_pdf"),
    path("reports/<int:report_id>/pdf/issue/", views.report_issue, name="document_report_issue"),
    path("periods/<int:period_id>/consolidated/issue/", views.consolidated_issue, name="document_consolidated_issue"),
    path("documents/<int:document_id>/status/", views.document_status, name="document_status"),
    path("documents/<int:document_id>/download/", views.document_download, name="document_download"),
    path("reports/<int:report_id>/documents/", views.report_documents_panel, name="document_report_panel"),
    path("periods/<int:period_id>/documents/", views.period_documents_panel, name="document_period_panel"),
]
