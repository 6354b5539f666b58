"""The workspace (/quan-ly/), namespace "workspace".

Other apps add their workspace pages to this one namespace by appending
``path("", include(<app>.workspace_urls.urlpatterns))`` here (a list, not a module with its
own app_name), so that every workspace URL reads ``workspace:<name>``.
"""

from django.urls import include, path

from campaigns import workspace_urls as campaigns_workspace_urls

from . import workspace_views as views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mo-hinh/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/them/", views.initiative_create, name="initiative-create"),
    path("mo-hinh/<int:pk>/", views.initiative_detail, name="initiative-detail"),
    path("mo-hinh/<int:pk>/sua/", views.initiative_edit, name="initiative-edit"),
    path("mo-hinh/<int:pk>/xem-truoc/", views.initiative_preview, name="initiative-preview"),
    path("mo-hinh/<int:pk>/lich-su/", views.initiative_history_page, name="initiative-history"),
    path("mo-hinh/<int:pk>/kiem-tra/", views.oversight_log, name="oversight"),
    path("mo-hinh/<int:pk>/gui-dang-ky/", views.initiative_submit, name="initiative-submit"),
    path("mo-hinh/<int:pk>/hoan-thanh/", views.initiative_complete, name="initiative-complete"),
    path("mo-hinh/<int:pk>/cong-khai/", views.initiative_publish, name="initiative-publish"),
    path("mo-hinh/<int:pk>/an/", views.initiative_unpublish, name="initiative-unpublish"),
    path("kiem-tra/<int:pk>/da-xu-ly/", views.oversight_resolve, name="oversight-resolve"),
    # Phase 2: ledger, reviews, commendations (campaigns/workspace_urls.py).
    path("", include(campaigns_workspace_urls.urlpatterns)),
    path("", include("campaigns.report_urls")),  # summary reports (issue 6)
]
