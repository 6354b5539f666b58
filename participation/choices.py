"""Kinds and statuses of residents' feedback."""

from django.db import models
from django.utils.translation import pgettext_lazy


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", pgettext_lazy("feedback kind", "Góp ý")
    COMPLAINT = "complaint", pgettext_lazy("feedback kind", "Phản ánh")
    QUESTION = "question", pgettext_lazy("feedback kind", "Hỏi")
    PRAISE = "praise", pgettext_lazy("feedback kind", "Khen")


class FeedbackStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("feedback status", "Mới gửi")
    RECEIVED = "received", pgettext_lazy("feedback status", "Đã tiếp nhận")
    IN_PROGRESS = "in_progress", pgettext_lazy("feedback status", "Đang xử lý")
    ANSWERED = "answered", pgettext_lazy("feedback status", "Đã trả lời")
    CLOSED = "closed", pgettext_lazy("feedback status", "Đã đóng")
    NOT_PUBLISHED = "not_published", pgettext_lazy("feedback status", "Không công khai")
    SPAM = "spam", pgettext_lazy("feedback status", "Thư rác")
    DUPLICATE = "duplicate", pgettext_lazy("feedback status", "Trùng lặp")


# Waiting for the ward: the due date runs for these.
OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS)
# Never shown to the public, whatever else is set.
HIDDEN_STATUSES = (FeedbackStatus.NOT_PUBLISHED, FeedbackStatus.SPAM, FeedbackStatus.DUPLICATE)
# The answer exists and may be rated.
ANSWERED_STATUSES = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
# Statuses the public list may filter by.
PUBLIC_STATUSES = (
    FeedbackStatus.NEW,
    FeedbackStatus.RECEIVED,
    FeedbackStatus.IN_PROGRESS,
    FeedbackStatus.ANSWERED,
    FeedbackStatus.CLOSED,
)
