"""Dashboard section about residents' feedback: new items to take in, and items due soon or
overdue, with who answers them. One query whatever the amount of data."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation import permissions
from participation.queries import due_feedback

from .base import DashboardItem, DashboardSection, bounded


def feedback_due(request: HttpRequest) -> DashboardSection | None:
    """Feedback waiting for the ward: new, due within three days, or overdue."""
    if not request.user.has_perm(permissions.ANSWER_FEEDBACK):
        return None
    today = timezone.localdate()
    queryset = due_feedback(today).only(
        "code",
        "kind",
        "status",
        "due_on",
        "initiative__title",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
    )
    rows, truncated = bounded(queryset)
    return DashboardSection(
        key="feedback-due",
        title=_("Góp ý của người dân cần trả lời"),
        empty_text=_("Không có góp ý nào đang chờ hoặc sắp đến hạn."),
        items=[
            DashboardItem(
                title=f"{f.code} · {f.get_kind_display()} → {f.subject}",
                url=reverse("workspace:feedback-detail", args=[f.pk]),
                note=(
                    _("%(status)s · phụ trách: %(who)s")
                    % {
                        "status": f.get_status_display(),
                        "who": (f.assignee.get_full_name() or f.assignee.username)
                        if f.assignee
                        else _("chưa phân công"),
                    }
                ),
                due=f.due_on,
                overdue=bool(f.due_on and f.due_on < today),
            )
            for f in rows
        ],
        truncated=truncated,
        more_url=reverse("workspace:feedback-list") + "?due=due",
    )
