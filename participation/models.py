"""Residents' feedback on a model (góp ý, phản ánh, hỏi, khen) and the ward's public answer.

Personal data (name unless shown by choice, phone, the client hash) lives only on
``Feedback`` and is never copied elsewhere: no django-simple-history table keeps an old copy,
so erasing it (``erase_feedback_contacts``) erases it for good. Status changes are recorded in
``FeedbackTransition`` (who, when, from, to, why).
"""

import os
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registry.models import Initiative, TransitionRecord
from registry.storage import private_storage

from .choices import ANSWERED_STATUSES, HIDDEN_STATUSES, FeedbackKind, FeedbackStatus

# How feedback about no model in particular is named wherever a model's title would be.
WARD_SUBJECT = _("Góp ý chung về phường")


def feedback_photo_storage():
    """Residents' photos are private (they may show faces, houses, number plates): in the
    ``private`` store, under feedback/, served only to officials. (Migrations name this.)"""
    return private_storage()


class FeedbackQuerySet(models.QuerySet):
    def public(self):
        """Published by an official, on a public model or on the ward in general, and not
        refused (spam, duplicate…)."""
        return self.filter(
            Q(initiative__isnull=True) | Q(initiative__in=Initiative.objects.public()),
            published_at__isnull=False,
        ).exclude(status__in=HIDDEN_STATUSES)

    def answered(self):
        return self.filter(status__in=ANSWERED_STATUSES)


class Feedback(models.Model):
    code = models.CharField(_("mã"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    # Empty: feedback on the ward in general, about no model in particular.
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("mô hình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=FeedbackKind.choices)
    text = models.TextField(_("nội dung người dân gửi"))
    public_text = models.TextField(
        _("nội dung công khai"),
        blank=True,
        help_text=_("Nội dung đã che thông tin cá nhân, hiển thị khi công khai."),
    )
    # Personal data: officials with participation.view_feedback_contact only.
    name = models.CharField(_("họ tên"), max_length=120, blank=True)
    show_name = models.BooleanField(_("hiển thị tên công khai"), default=False)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_consent = models.BooleanField(_("đồng ý để phường liên hệ"), default=False)
    client_hash = models.CharField(_("mã băm thiết bị gửi"), max_length=64, blank=True)
    contacts_erased_at = models.DateTimeField(_("đã xoá thông tin liên hệ lúc"), null=True)

    token_hash = models.CharField(max_length=64, editable=False)
    # The form's "handed out at" stamp (wardmodels/formclock.py), hashed: each is used once.
    form_stamp_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.NEW,
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
    )
    reason = models.TextField(_("lý do không công khai"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    rating = models.PositiveSmallIntegerField(_("đánh giá câu trả lời"), null=True, blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("góp ý")
        verbose_name_plural = _("góp ý của người dân")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_feedback_contact", _("Xem họ tên, số điện thoại của người gửi góp ý")),
            ("answer_feedback", _("Tiếp nhận, xử lý và trả lời góp ý")),
            ("publish_feedback", _("Công khai góp ý (sau khi che thông tin cá nhân)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="feedback_year_number_unique"),
            models.UniqueConstraint(
                fields=["form_stamp_hash"],
                condition=~Q(form_stamp_hash=""),
                name="feedback_form_stamp_used_once",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status=FeedbackStatus.NOT_PUBLISHED) | ~Q(reason=""),
                name="feedback_not_published_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="feedback_status_due_idx"),
            models.Index(fields=["initiative", "published_at"], name="feedback_initiative_pub_idx"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("workspace:feedback-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.status not in HIDDEN_STATUSES

    @property
    def subject(self) -> str:
        """What it is about: the model's title, or the ward in general."""
        return self.initiative.title if self.initiative_id else str(WARD_SUBJECT)

    @property
    def public_name(self) -> str:
        return self.name if self.show_name and self.name else ""


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FeedbackAnswer(models.Model):
    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("câu trả lời"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("trả lời lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("câu trả lời góp ý")
        verbose_name_plural = _("câu trả lời góp ý")

    def __str__(self):
        return f"{self.feedback}: {self.text[:40]}"


class FeedbackPhoto(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("ảnh"),
        storage=feedback_photo_storage,
        upload_to="feedback/photos/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("ảnh góp ý")
        verbose_name_plural = _("ảnh góp ý")
        ordering = ["id"]

    def __str__(self):
        return f"{self.feedback}: {os.path.basename(self.image.name)}"


class FeedbackTransition(TransitionRecord):
    SUBJECT = "feedback"

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("từ"), max_length=16, choices=FeedbackStatus.choices)
    to_status = models.CharField(_("sang"), max_length=16, choices=FeedbackStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("chuyển trạng thái góp ý")
        verbose_name_plural = _("lịch sử trạng thái góp ý")


class DayOff(models.Model):
    """A day the ward's office is closed besides weekends and Vietnam's public holidays
    (those come from the ``holidays`` package): a day given by the city, a local event.
    Due dates in working days skip it (participation/workdays.py)."""

    date = models.DateField(_("ngày"), unique=True)
    reason = models.CharField(_("lý do"), max_length=200)

    class Meta:
        verbose_name = _("ngày nghỉ của phường")
        verbose_name_plural = _("ngày nghỉ của phường")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.reason}"
