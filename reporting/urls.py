from django.urls import URLPattern, path

from reporting import dashboard_views, lists, views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:agreement_id>/history/", views.agreement_audit, name="agreement_audit"),
    path("agreements/<int:agreement_id>/dashboard/", dashboard_views.agreement_dashboard, name="agreement_dashboard"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("periods/<int:period_id>/", views.period_detail, name="period_detail"),
    path("reports/", lists.report_list, name="report_list"),
    path("reports/export.<str:fmt>", lists.report_export, name="report_export"),
    path("documents/", lists.document_list, name="document_list"),
    path("documents/export.<str:fmt>", lists.document_export, name="document_export"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:report_id>/entries/<int:entry_id>/", views.report_entry_save, name="report_entry_save"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:report_id>/reopen/", views.report_reopen, name="report_reopen"),
    path("reports/<int:report_id>/history/", views.report_history, name="report_history"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
]
