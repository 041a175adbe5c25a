from django.urls import URLPattern, path

from agreements import edit_views, import_views, lifecycle_views, views

urlpatterns: list[URLPattern] = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.<str:fmt>", views.agreement_export, name="agreement_export"),
    path(
        "agreements/<int:agreement_id>/signed-document/",
        views.signed_document_download,
        name="agreement_signed_document",
    ),
    path("agreements/import/", import_views.agreement_import, name="agreement_import"),
    path("agreements/import/confirm/", import_views.agreement_import_confirm, name="agreement_import_confirm"),
    path("agreements/new/", edit_views.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/edit/", edit_views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/parties/", edit_views.agreement_parties, name="agreement_parties"),
    path("agreements/<int:agreement_id>/items/", edit_views.agreement_items, name="agreement_items"),
    path("agreements/<int:agreement_id>/commitments/", edit_views.agreement_commitments, name="agreement_commitments"),
    path("agreements/<int:agreement_id>/publish/", edit_views.agreement_publish, name="agreement_publish"),
    path("bodies/search/", edit_views.body_search, name="body_search"),
    path("bodies/new/", edit_views.body_create, name="body_create"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/export.<str:fmt>", views.commitment_export, name="commitment_export"),
    # Issue 10, the agreement's life (agreements/lifecycle_views.py).
    path("agreements/<int:agreement_id>/renew/", lifecycle_views.agreement_renew, name="agreement_renew"),
    path("agreements/<int:agreement_id>/status/", lifecycle_views.agreement_status, name="agreement_status"),
    path("agreements/<int:agreement_id>/amendments/", lifecycle_views.agreement_amend, name="agreement_amend"),
    path(
        "agreements/<int:agreement_id>/commitments/import/",
        lifecycle_views.commitment_import_view,
        name="commitment_import",
    ),
]
