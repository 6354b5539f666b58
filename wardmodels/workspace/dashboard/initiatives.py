"""Dashboard sections about models and exemplars: returned registrations, drafts, follow-ups,
registrations awaiting the committee, models under way without photos, milestones waiting
to be published."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import permissions
from registry.choices import InitiativeStatus as S
from registry.choices import MilestoneStatus
from registry.models import Initiative, Milestone, OversightActivity, Photo
from registry.queries import with_last_transition

from .base import FOLLOW_UP_HORIZON_DAYS, DashboardItem, DashboardSection, bounded


def _detail(initiative) -> str:
    return reverse("workspace:initiative-detail", args=[initiative.pk])


def _edit_or_detail(request, initiative) -> str:
    if request.user.has_perm(permissions.CHANGE_INITIATIVE):
        return reverse("workspace:initiative-edit", args=[initiative.pk])
    return _detail(initiative)


def _list_url(**params) -> str:
    return f"{reverse('workspace:initiative-list')}?{urlencode(params)}"


def _returned_drafts():
    return with_last_transition(Initiative.objects.filter(status=S.DRAFT)).filter(
        last_from=S.REGISTERED, last_to=S.DRAFT
    )


def returned_registrations(request: HttpRequest) -> DashboardSection | None:
    """Registrations the committee sent back, with its reason: fix and submit again."""
    if not request.user.has_perm(permissions.CHANGE_INITIATIVE):
        return None
    rows, truncated = bounded(_returned_drafts().only("title").order_by("-last_at", "pk"))
    return DashboardSection(
        key="returned",
        title=_("Đăng ký bị trả lại"),
        empty_text=_("Không có đăng ký nào bị trả lại."),
        items=[
            DashboardItem(
                title=i.title,
                url=_edit_or_detail(request, i),
                note=_("Lý do: %(reason)s") % {"reason": i.last_reason},
            )
            for i in rows
        ],
        truncated=truncated,
        more_url=_list_url(status=S.DRAFT),
    )


def my_drafts(request: HttpRequest) -> DashboardSection | None:
    """Drafts I started and have not submitted yet (returned ones have their own section)."""
    if not request.user.has_perm(permissions.CHANGE_INITIATIVE):
        return None
    queryset = (
        Initiative.objects.filter(status=S.DRAFT, created_by=request.user)
        .exclude(pk__in=_returned_drafts().values("pk"))
        .only("title", "updated_at")
        .order_by("-updated_at", "pk")
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="drafts",
        title=_("Dự thảo của tôi cần hoàn thiện"),
        empty_text=_("Bạn không có dự thảo nào đang dở."),
        items=[
            DashboardItem(
                title=i.title,
                url=_edit_or_detail(request, i),
                note=_("Sửa lần cuối %(date)s")
                % {"date": timezone.localtime(i.updated_at).strftime("%d/%m/%Y")},
            )
            for i in rows
        ],
        truncated=truncated,
        more_url=_list_url(status=S.DRAFT),
    )


def follow_ups_due(request: HttpRequest) -> DashboardSection | None:
    """Follow-ups of inspections and reminders due within a week, or overdue."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    queryset = (
        OversightActivity.objects.filter(
            resolved=False, follow_up_due__isnull=False, follow_up_due__lte=horizon
        )
        .select_related("initiative")
        .only("kind", "note", "follow_up_due", "initiative__title")
        .order_by("follow_up_due", "pk")
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="follow-ups",
        title=_("Việc cần xử lý tiếp sau kiểm tra, đôn đốc"),
        empty_text=_("Không có việc nào đến hạn trong 7 ngày tới."),
        items=[
            DashboardItem(
                title=a.initiative.title,
                url=reverse("workspace:oversight", args=[a.initiative_id]) + f"#oversight-{a.pk}",
                note=f"{a.get_kind_display()}: {a.note}",
                due=a.follow_up_due,
                overdue=a.follow_up_due < today,
            )
            for a in rows
        ],
        truncated=truncated,
    )


def awaiting_committee(request: HttpRequest) -> DashboardSection | None:
    """Registrations submitted and waiting for the party committee's decision (in the admin)."""
    decides = request.user.is_staff and request.user.has_perm(permissions.DECIDE_IN_ADMIN)
    queryset = (
        with_last_transition(Initiative.objects.filter(status=S.REGISTERED))
        .only("title")
        .order_by("last_at", "pk")
    )
    rows, truncated = bounded(queryset)
    items = []
    for i in rows:
        item = DashboardItem(
            title=i.title,
            url=_detail(i),
            note=_("Gửi đăng ký %(date)s")
            % {"date": timezone.localtime(i.last_at).strftime("%d/%m/%Y") if i.last_at else "—"},
        )
        if decides:
            item.action_label = _("Xét duyệt trong trang quản trị")
            item.action_url = reverse("admin:registry_initiative_change", args=[i.pk])
        items.append(item)
    return DashboardSection(
        key="awaiting",
        title=_("Đăng ký chờ Đảng ủy duyệt"),
        empty_text=_("Không có đăng ký nào đang chờ duyệt."),
        items=items,
        truncated=truncated,
        more_url=_list_url(status=S.REGISTERED),
    )


def implementing_without_photos(request: HttpRequest) -> DashboardSection | None:
    """Models under way that residents would see without a single photo."""
    queryset = (
        Initiative.objects.filter(status=S.IMPLEMENTING)
        .filter(~Exists(Photo.objects.filter(initiative=OuterRef("pk"))))
        .only("title")
        .order_by("title", "pk")
    )
    rows, truncated = bounded(queryset)
    can_edit = request.user.has_perm(permissions.CHANGE_INITIATIVE)
    return DashboardSection(
        key="no-photos",
        title=_("Mô hình đang thực hiện chưa có ảnh"),
        empty_text=_("Mô hình nào đang thực hiện cũng đã có ảnh."),
        items=[
            DashboardItem(
                title=i.title,
                url=(
                    reverse("workspace:initiative-edit", args=[i.pk]) + "#photos"
                    if can_edit
                    else _detail(i)
                ),
                note=_("Thêm ảnh để người dân thấy kết quả."),
            )
            for i in rows
        ],
        truncated=truncated,
        more_url=_list_url(status=S.IMPLEMENTING),
    )


def milestones_to_publish(request: HttpRequest) -> DashboardSection | None:
    """Draft milestones (written by hand or by a status change, a new result) that wait
    for someone who may publish them, oldest first."""
    if not request.user.has_perm(permissions.PUBLISH_MILESTONE):
        return None
    queryset = (
        Milestone.objects.filter(status=MilestoneStatus.DRAFT)
        .select_related("initiative")
        .only("title", "occurred_on", "automatic", "initiative__title")
        .order_by("created_at", "pk")
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="milestones",
        title=_("Mốc tiến độ chờ công bố"),
        empty_text=_("Không có mốc tiến độ nào chờ công bố."),
        items=[
            DashboardItem(
                title=f"{m.initiative.title}: {m.title}",
                url=reverse("workspace:milestone-edit", args=[m.pk]),
                note=(_("Lập tự động, ngày %(date)s") if m.automatic else _("Ngày %(date)s"))
                % {"date": m.occurred_on.strftime("%d/%m/%Y")},
            )
            for m in rows
        ],
        truncated=truncated,
    )
