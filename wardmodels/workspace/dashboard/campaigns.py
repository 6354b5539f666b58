"""Dashboard sections about the campaigns: pledges, review rounds, recognitions, dossiers.

Each provider runs one query whatever the amount of data and returns ``None`` when the user
has nothing to do with it.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import permissions, queries, workflow
from campaigns.models import Commendation, Recognition
from campaigns.review_choices import REQUIRED_DOSSIER_KINDS, CommendationStatus, DossierKind
from campaigns.review_choices import RecognitionStatus as R
from registry.formatting import vnd

from .base import DashboardItem, DashboardSection, bounded


def overdue_pledges(request: HttpRequest) -> DashboardSection | None:
    """Pledges past their due date, not cancelled and not fully received."""
    if not request.user.has_perm("campaigns.view_pledge"):
        return None
    today = timezone.localdate()
    queryset = (
        queries.overdue_pledges(today)
        .select_related("initiative", "contributor")
        # Only what the items show: the wide initiative and contributor rows stay unread.
        .only("value", "due_on", "initiative__title", "contributor__name")
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="overdue-pledges",
        title=_("Cam kết đóng góp quá hạn"),
        empty_text=_("Không có cam kết nào quá hạn."),
        items=[
            DashboardItem(
                title=f"{p.contributor.name} → {p.initiative.title}",
                url=reverse("workspace:ledger", args=[p.initiative_id]) + f"#pledge-{p.pk}",
                note=_("Đã nhận %(received)s / %(value)s")
                % {"received": vnd(p.received_amount), "value": vnd(p.value)},
                due=p.due_on,
                overdue=True,
            )
            for p in rows
        ],
        truncated=truncated,
        more_url=reverse("workspace:ledger-index"),
    )


def rounds_to_score(request: HttpRequest) -> DashboardSection | None:
    """Open review rounds with models I have not scored yet."""
    if not request.user.has_perm(workflow.SCORE_PERMISSION):
        return None
    queryset = queries.rounds_to_score(request.user).order_by("period_end", "pk")
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="rounds-to-score",
        title=_("Đợt đánh giá có mô hình tôi chưa chấm"),
        empty_text=_("Bạn đã chấm hết các mô hình trong những đợt đang mở."),
        items=[
            DashboardItem(
                title=r.title,
                url=reverse("workspace:score-sheet", args=[r.pk]),
                note=_("Còn %(count)s mô hình chưa chấm · %(campaign)s")
                % {"count": r.unscored, "campaign": r.campaign.title},
            )
            for r in rows
        ],
        truncated=truncated,
        more_url=reverse("workspace:round-list"),
    )


def recognitions_awaiting(request: HttpRequest) -> DashboardSection | None:
    """Recognitions proposed and waiting for the party committee's decision (in the admin)."""
    if not request.user.has_perm(permissions.VIEW_RECOGNITION):
        return None
    decides = request.user.is_staff and request.user.has_perm(permissions.DECIDE_RECOGNITION)
    queryset = (
        Recognition.objects.filter(status=R.PROPOSED)
        .select_related("initiative", "review_round")
        .only("level", "tier", "initiative__title", "review_round__title")
        .order_by("proposed_at", "pk")
    )
    rows, truncated = bounded(queryset)
    items = []
    for r in rows:
        item = DashboardItem(
            title=r.initiative.title,
            url=reverse("workspace:initiative-reviews", args=[r.initiative_id])
            + f"#recognition-{r.pk}",
            note=f"{r.get_level_display()} · {r.get_tier_display()} · {r.review_round.title}",
        )
        if decides:
            item.action_label = _("Duyệt trong trang quản trị")
            item.action_url = reverse("admin:campaigns_recognition_change", args=[r.pk])
        items.append(item)
    return DashboardSection(
        key="recognitions",
        title=_("Đề nghị công nhận chờ quyết định"),
        empty_text=_("Không có đề nghị công nhận nào đang chờ."),
        items=items,
        truncated=truncated,
        more_url=reverse("workspace:round-list"),
    )


def dossiers_missing_documents(request: HttpRequest) -> DashboardSection | None:
    """Draft commendations whose dossier lacks one of the three required documents."""
    if not request.user.has_perm(permissions.VIEW_COMMENDATION):
        return None
    state = queries.commendation_dossier_state()
    queryset = (
        Commendation.objects.filter(status=CommendationStatus.DRAFT)
        .annotate(**state)
        # Not (has every required kind): at least one is missing.
        .exclude(**dict.fromkeys(state, True))
        .select_related("initiative")
        .only("recipient_name", "initiative__title")
        .order_by("created_at", "pk")
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="dossiers",
        title=_("Hồ sơ khen thưởng còn thiếu tài liệu"),
        empty_text=_("Không có hồ sơ dự thảo nào còn thiếu tài liệu."),
        items=[
            DashboardItem(
                title=f"{c.recipient_name} · {c.initiative.title}",
                url=reverse("workspace:commendation-detail", args=[c.pk]) + "#dossier",
                note=_("Còn thiếu: %(kinds)s")
                % {
                    "kinds": "; ".join(
                        str(DossierKind(kind).label)
                        for kind in REQUIRED_DOSSIER_KINDS
                        if not getattr(c, f"has_{kind}")
                    )
                },
            )
            for c in rows
        ],
        truncated=truncated,
        more_url=reverse("workspace:commendation-list") + f"?status={CommendationStatus.DRAFT}",
    )
