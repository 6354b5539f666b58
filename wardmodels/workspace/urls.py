"""The workspace (/quan-ly/), one namespace "workspace" for every page of the daily work.

Every workspace URL is listed here, in one order. A transition view takes its action from
the path, but only an action of its entity's transition table (the ``recognition-action``
and ``commendation-action`` converters), so a new page such as ``khen-thuong/<pk>/sua/`` is
never taken for an action.
"""

from django.urls import path, register_converter

from campaigns import workflow
from participation import workflow as participation_workflow

from .views import (
    areas,
    commendations,
    feedback,
    guide,
    initiatives,
    ledger,
    milestones,
    reports,
    reviews,
)


def _action_converter(table) -> type:
    """A path converter that matches only the actions of ``table``, e.g. ``approve``."""

    class ActionConverter:
        regex = "|".join(sorted(table))

        def to_python(self, value: str) -> str:
            return value

        def to_url(self, value: str) -> str:
            return value

    return ActionConverter


register_converter(_action_converter(workflow.RECOGNITION_TRANSITIONS), "recognition-action")
register_converter(_action_converter(workflow.COMMENDATION_TRANSITIONS), "commendation-action")
register_converter(_action_converter(participation_workflow.TRANSITIONS), "feedback-action")

app_name = "workspace"

urlpatterns = [
    path("", initiatives.dashboard, name="dashboard"),
    # Models and exemplars
    path("mo-hinh/", initiatives.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/them/", initiatives.initiative_create, name="initiative-create"),
    path("mo-hinh/<int:pk>/", initiatives.initiative_detail, name="initiative-detail"),
    path("mo-hinh/<int:pk>/sua/", initiatives.initiative_edit, name="initiative-edit"),
    path("mo-hinh/<int:pk>/xem-truoc/", initiatives.initiative_preview, name="initiative-preview"),
    path(
        "mo-hinh/<int:pk>/lich-su/",
        initiatives.initiative_history_page,
        name="initiative-history",
    ),
    path("mo-hinh/<int:pk>/kiem-tra/", initiatives.oversight_log, name="oversight"),
    path("mo-hinh/<int:pk>/gui-dang-ky/", initiatives.initiative_submit, name="initiative-submit"),
    path(
        "mo-hinh/<int:pk>/hoan-thanh/",
        initiatives.initiative_complete,
        name="initiative-complete",
    ),
    path("mo-hinh/<int:pk>/cong-khai/", initiatives.initiative_publish, name="initiative-publish"),
    path("mo-hinh/<int:pk>/an/", initiatives.initiative_unpublish, name="initiative-unpublish"),
    path("kiem-tra/<int:pk>/da-xu-ly/", initiatives.oversight_resolve, name="oversight-resolve"),
    # Residential areas (khu phố, tổ dân phố, cụm dân cư) that models are filed under
    path("khu-dan-cu/", areas.area_list, name="area-list"),
    path("khu-dan-cu/them/", areas.area_create, name="area-create"),
    path("khu-dan-cu/<int:pk>/sua/", areas.area_edit, name="area-edit"),
    # The progress timeline
    path("mo-hinh/<int:pk>/tien-do/", milestones.milestone_list, name="milestone-list"),
    path(
        "mo-hinh/<int:pk>/tien-do/bo-du-thao/",
        milestones.milestone_discard,
        name="milestone-discard",
    ),
    path("tien-do/<int:pk>/", milestones.milestone_edit, name="milestone-edit"),
    path("tien-do/<int:pk>/anh/", milestones.milestone_photo_add, name="milestone-photo-add"),
    path("tien-do/<int:pk>/cong-bo/", milestones.milestone_publish, name="milestone-publish"),
    path("tien-do/<int:pk>/rut-lai/", milestones.milestone_withdraw, name="milestone-withdraw"),
    path(
        "tien-do/<int:pk>/dinh-chinh/", milestones.milestone_supersede, name="milestone-supersede"
    ),
    # Ledger
    path("dong-gop/", ledger.ledger_index, name="ledger-index"),
    path("nguoi-dong-gop/", ledger.contributor_search, name="contributor-search"),
    path("mo-hinh/<int:pk>/dong-gop/", ledger.ledger, name="ledger"),
    path(
        "mo-hinh/<int:pk>/dong-gop/nguoi-dong-gop/",
        ledger.contributor_create,
        name="contributor-create",
    ),
    path(
        "mo-hinh/<int:pk>/dong-gop/cam-ket/",
        ledger.pledge_record,
        name="pledge-record",
    ),
    path(
        "mo-hinh/<int:pk>/dong-gop/da-nhan/",
        ledger.donation_record,
        name="donation-record",
    ),
    path("mo-hinh/<int:pk>/dong-gop/chi/", ledger.expense_record, name="expense-record"),
    path("cam-ket/<int:pk>/huy/", ledger.pledge_cancel, name="pledge-cancel"),
    path("cam-ket/<int:pk>/sua/", ledger.pledge_correct, name="pledge-correct"),
    path("khoan-nhan/<int:pk>/sua/", ledger.donation_correct, name="donation-correct"),
    path("khoan-chi/<int:pk>/sua/", ledger.expense_correct, name="expense-correct"),
    path(
        "khoan-nhan/<int:pk>/dieu-chinh/",
        ledger.donation_reverse,
        name="donation-reverse",
    ),
    path(
        "khoan-chi/<int:pk>/dieu-chinh/",
        ledger.expense_reverse,
        name="expense-reverse",
    ),
    # Reviews and recognitions
    path("danh-gia/", reviews.round_list, name="round-list"),
    path("danh-gia/<int:pk>/", reviews.score_sheet, name="score-sheet"),
    path(
        "danh-gia/<int:round_pk>/mo-hinh/<int:initiative_pk>/cham/",
        reviews.evaluation_save,
        name="evaluation-save",
    ),
    path(
        "danh-gia/<int:round_pk>/mo-hinh/<int:initiative_pk>/de-nghi-cong-nhan/",
        reviews.recognition_propose,
        name="recognition-propose",
    ),
    path(
        "mo-hinh/<int:pk>/danh-gia/",
        reviews.initiative_reviews,
        name="initiative-reviews",
    ),
    path(
        "cong-nhan/<int:pk>/<recognition-action:action>/",
        reviews.recognition_transition,
        name="recognition-transition",
    ),
    # Commendations
    path("khen-thuong/", commendations.commendation_list, name="commendation-list"),
    path("khen-thuong/them/", commendations.commendation_create, name="commendation-create"),
    path("khen-thuong/<int:pk>/", commendations.commendation_detail, name="commendation-detail"),
    path(
        "khen-thuong/<int:pk>/ho-so/them/",
        commendations.dossier_attach,
        name="dossier-attach",
    ),
    path(
        "khen-thuong/<int:pk>/ho-so/trinh/",
        commendations.commendation_submit,
        name="commendation-submit",
    ),
    path("khen-thuong/<int:pk>/giay-khen/", commendations.certificate, name="certificate"),
    path(
        "khen-thuong/<int:pk>/<commendation-action:action>/",
        commendations.commendation_transition,
        name="commendation-transition",
    ),
    path("ho-so/<int:pk>/bo/", commendations.dossier_remove, name="dossier-remove"),
    path("ho-so/<int:pk>/tai-ve/", commendations.dossier_download, name="dossier-download"),
    # Residents' feedback
    path("gop-y/", feedback.feedback_list, name="feedback-list"),
    path("gop-y/<int:pk>/", feedback.feedback_detail, name="feedback-detail"),
    path("gop-y/<int:pk>/phan-cong/", feedback.feedback_assign, name="feedback-assign"),
    path("gop-y/<int:pk>/cong-khai/", feedback.feedback_publish, name="feedback-publish"),
    path(
        "gop-y/<int:pk>/<feedback-action:action>/",
        feedback.feedback_action,
        name="feedback-transition",
    ),
    path("anh-gop-y/<int:pk>/", feedback.feedback_photo, name="feedback-photo"),
    # Summary reports
    path("bao-cao/", reports.report, name="report"),
    path("bao-cao/in/", reports.report_print, name="report-print"),
    path("bao-cao/excel/", reports.report_xlsx, name="report-xlsx"),
    path("bao-cao/danh-sach-mo-hinh.csv", reports.report_csv, name="report-csv"),
    # How to do the daily work, for officials
    path("huong-dan/", guide.guide, name="guide"),
]
