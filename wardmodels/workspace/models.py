"""What the workspace itself remembers about its users (nothing of the register)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardVisit(models.Model):
    """When a user last opened the workspace dashboard.

    The "Đảng ủy đã quyết định" section lists the committee's decisions since the visit
    before this one. A table of its own rather than a column on the user: the auth user
    stays Django's, and a visit (written on every dashboard view) adds no history row to
    anything that is audited.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    seen_at = models.DateTimeField(_("lần mở trang việc cần làm gần nhất"))

    class Meta:
        verbose_name = _("lần mở trang việc cần làm")
        verbose_name_plural = _("các lần mở trang việc cần làm")

    def __str__(self):
        return f"{self.user_id}: {self.seen_at:%Y-%m-%d %H:%M}"
