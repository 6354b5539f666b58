"""Workspace pages of the campaigns app: included into the "workspace" namespace by
registry/workspace_urls.py, so every name reads ``workspace:<name>``."""

from django.urls import path

from . import workspace_views as views

urlpatterns = [
    # Ledger
    path("dong-gop/", views.ledger_index, name="ledger-index"),
    path("mo-hinh/<int:pk>/dong-gop/", views.ledger, name="ledger"),
    path(
        "mo-hinh/<int:pk>/dong-gop/nguoi-dong-gop/",
        views.contributor_create,
        name="contributor-create",
    ),
    path("mo-hinh/<int:pk>/dong-gop/cam-ket/", views.pledge_record, name="pledge-record"),
    path("mo-hinh/<int:pk>/dong-gop/da-nhan/", views.donation_record, name="donation-record"),
    path("mo-hinh/<int:pk>/dong-gop/chi/", views.expense_record, name="expense-record"),
    path("cam-ket/<int:pk>/huy/", views.pledge_cancel, name="pledge-cancel"),
    path("khoan-nhan/<int:pk>/dieu-chinh/", views.donation_reverse, name="donation-reverse"),
    path("khoan-chi/<int:pk>/dieu-chinh/", views.expense_reverse, name="expense-reverse"),
    # Reviews and recognitions
    path("danh-gia/", views.round_list, name="round-list"),
    path("danh-gia/<int:pk>/", views.score_sheet, name="score-sheet"),
    path(
        "danh-gia/<int:round_pk>/mo-hinh/<int:initiative_pk>/cham/",
        views.evaluation_save,
        name="evaluation-save",
    ),
    path(
        "danh-gia/<int:round_pk>/mo-hinh/<int:initiative_pk>/de-nghi-cong-nhan/",
        views.recognition_propose,
        name="recognition-propose",
    ),
    path("mo-hinh/<int:pk>/danh-gia/", views.initiative_reviews, name="initiative-reviews"),
    # Commendations
    path("khen-thuong/", views.commendation_list, name="commendation-list"),
    path("khen-thuong/them/", views.commendation_create, name="commendation-create"),
    path("khen-thuong/<int:pk>/", views.commendation_detail, name="commendation-detail"),
    path("khen-thuong/<int:pk>/ho-so/them/", views.dossier_attach, name="dossier-attach"),
    path(
        "khen-thuong/<int:pk>/ho-so/trinh/", views.commendation_submit, name="commendation-submit"
    ),
    path("ho-so/<int:pk>/bo/", views.dossier_remove, name="dossier-remove"),
]
