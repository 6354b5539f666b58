"""Every change of residents' feedback happens here.

One keyword-only function per change; the workspace, the admin and the management command
call these. Status changes go through the one transition core (``registry.transitions.move``):
permission, starting state against ``TRANSITIONS``, row lock, ``update_fields``, a
``FeedbackTransition`` row, and the public-page cache told on commit. Edits that keep the
status (assign, publish) use ``transitions.edit``. The resident's own two actions (submit and
rate) have no user: they are checked by the token and the form instead.
"""

import datetime as dt
import hashlib
import hmac
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import transitions
from registry.models import Initiative
from registry.transitions import Step, WorkflowError, allowed_actions, check_permission
from wardmodels import formclock
from wardmodels.pagecache import public_pages_changed_on_commit

from . import redaction
from .choices import ANSWERED_STATUSES, HIDDEN_STATUSES, OPEN_STATUSES
from .choices import FeedbackStatus as S
from .models import Feedback, FeedbackAnswer, FeedbackPhoto, FeedbackTransition, new_token
from .workdays import add_working_days

__all__ = ["WorkflowError", "allowed_actions", "check_permission"]

ANSWER_PERMISSION = "participation.answer_feedback"
PUBLISH_PERMISSION = "participation.publish_feedback"

# The one table of what may happen to feedback, and who may make it happen.
TRANSITIONS: dict[str, Step] = {
    "receive": Step((S.NEW,), S.RECEIVED, ANSWER_PERMISSION),
    "start": Step((S.RECEIVED,), S.IN_PROGRESS, ANSWER_PERMISSION),
    "answer": Step((S.RECEIVED, S.IN_PROGRESS, S.ANSWERED), S.ANSWERED, ANSWER_PERMISSION),
    "close": Step((S.ANSWERED,), S.CLOSED, ANSWER_PERMISSION),
    "not_publish": Step(
        (S.NEW, S.RECEIVED, S.IN_PROGRESS), S.NOT_PUBLISHED, ANSWER_PERMISSION, reason_required=True
    ),
    "spam": Step((S.NEW, S.RECEIVED), S.SPAM, ANSWER_PERMISSION),
    "duplicate": Step((S.NEW, S.RECEIVED, S.IN_PROGRESS), S.DUPLICATE, ANSWER_PERMISSION),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(feedback: Feedback, token: str | None) -> bool:
    """Whether ``token`` is the feedback's tracking token (constant-time comparison)."""
    if not token:
        return False
    return hmac.compare_digest(feedback.token_hash, hash_token(token))


def normalised(text: str) -> str:
    """The text as compared for duplicates: one Unicode spelling, case and spacing ignored
    (rows saved before NFC was enforced compare equal too)."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _next_number(year: int) -> int:
    last = (
        Feedback.objects.filter(year=year).order_by("-number").values_list("number", flat=True)
    ).first()
    return (last or 0) + 1


def _find_duplicate(initiative: Initiative | None, text: str, now: dt.datetime) -> Feedback | None:
    since = now - dt.timedelta(days=settings.FEEDBACK_DUPLICATE_DAYS)
    wanted = normalised(text)
    about = Q(initiative__isnull=True) if initiative is None else Q(initiative=initiative)
    candidates = (
        Feedback.objects.filter(about, created_at__gte=since)
        .exclude(status__in=(S.SPAM, S.DUPLICATE))
        .order_by("created_at", "pk")
        .only("pk", "text")
    )
    for candidate in candidates:
        if normalised(candidate.text) == wanted:
            return candidate
    return None


STAMP_USED_MESSAGE = _(
    "Biểu mẫu này đã được dùng để gửi một góp ý. Nếu bạn muốn gửi thêm, xin kiểm tra nội dung "
    "rồi bấm gửi lần nữa."
)


def _stamp_used(form_stamp: str) -> bool:
    return Feedback.objects.filter(form_stamp_hash=formclock.digest(form_stamp)).exists()


def feedback_submit(
    *,
    initiative: Initiative | None,
    kind: str,
    text: str,
    name: str = "",
    show_name: bool = False,
    phone: str = "",
    contact_consent: bool = False,
    photos: Iterable = (),
    client_hash: str = "",
    form_stamp: str = "",
) -> tuple[Feedback, str]:
    """A resident sends feedback on a public model, or on the ward in general
    (``initiative=None``): returns the feedback and its tracking token (shown once; only its
    hash is kept).

    Identical text to the same model (or to the ward in general) within
    ``FEEDBACK_DUPLICATE_DAYS`` is saved as a duplicate of the first. The code
    ``GY-<year>-<6 digits>`` is the year's next number; two submissions at once are kept
    apart by the unique (year, number) constraint and a retry.
    ``photos`` are already cleaned (``registry.images.process_photo``). ``form_stamp``, the
    form's "handed out at" stamp, is accepted once: its digest is kept, unique, so that a
    replayed form is refused even when two copies arrive at once. All or nothing.
    """
    if initiative is not None and not initiative.is_public:
        raise WorkflowError(_("Mô hình này không nhận góp ý."), code="not_public")
    if form_stamp and _stamp_used(form_stamp):
        raise WorkflowError(STAMP_USED_MESSAGE, code="stamp_used")
    # One Unicode spelling (NFC) for what is stored, whatever sent it.
    text = unicodedata.normalize("NFC", text)
    name = unicodedata.normalize("NFC", name)
    token = new_token()
    now = timezone.now()
    year = timezone.localdate(now).year
    photos = list(photos)
    for attempt in range(5):
        try:
            with transaction.atomic():
                duplicate_of = _find_duplicate(initiative, text, now)
                number = _next_number(year)
                feedback = Feedback.objects.create(
                    code=f"GY-{year}-{number:06d}",
                    year=year,
                    number=number,
                    initiative=initiative,
                    kind=kind,
                    text=text,
                    name=name,
                    show_name=show_name and bool(name),
                    phone=phone,
                    contact_consent=contact_consent and bool(phone),
                    client_hash=client_hash,
                    token_hash=hash_token(token),
                    form_stamp_hash=formclock.digest(form_stamp) if form_stamp else "",
                    status=S.DUPLICATE if duplicate_of else S.NEW,
                    duplicate_of=duplicate_of,
                )
                if duplicate_of:
                    FeedbackTransition.objects.create(
                        feedback=feedback,
                        from_status=S.NEW,
                        to_status=S.DUPLICATE,
                        reason=str(_("Trùng nội dung với %(code)s") % {"code": duplicate_of.code}),
                    )
                for processed in photos:
                    photo = FeedbackPhoto(feedback=feedback)
                    processed.image.seek(0)
                    photo.image.save(
                        processed.image.name, ContentFile(processed.image.read()), save=False
                    )
                    photo.save()
        except IntegrityError:
            if form_stamp and _stamp_used(form_stamp):
                raise WorkflowError(STAMP_USED_MESSAGE, code="stamp_used") from None
            if attempt == 4:
                raise
            continue
        return feedback, token
    raise AssertionError("unreachable")


def _apply(action: str, *, feedback: Feedback, by, reason: str = "", prepare=None) -> Feedback:
    return transitions.move(
        instance=feedback,
        step=TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=FeedbackTransition,
        prepare=prepare,
    )


def feedback_receive(*, feedback: Feedback, by) -> Feedback:
    """new → received: the ward takes it in; the due date is set
    ``FEEDBACK_DUE_WORKING_DAYS`` working days from today."""

    def prepare(locked: Feedback) -> list[str]:
        locked.received_at = timezone.now()
        locked.due_on = add_working_days(
            timezone.localdate(locked.received_at), settings.FEEDBACK_DUE_WORKING_DAYS
        )
        return ["received_at", "due_on"]

    return _apply("receive", feedback=feedback, by=by, prepare=prepare)


def feedback_start(*, feedback: Feedback, by) -> Feedback:
    """received → in progress."""
    return _apply("start", feedback=feedback, by=by)


def feedback_answer(*, feedback: Feedback, by, text: str, close: bool = False) -> Feedback:
    """received / in progress → answered, with the ward's answer (answering again corrects
    the answer). The first answer's time counts for "answered on time". With ``close`` the
    item is then closed (``feedback_close``) in the same transaction: the answer form's
    "save and close", so that an edited answer is never dropped by a separate close button."""
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("Cần nhập nội dung trả lời."), code="answer_required")

    def prepare(locked: Feedback) -> list[str]:
        FeedbackAnswer.objects.update_or_create(feedback=locked, defaults={"text": text, "by": by})
        if locked.answered_at is None:
            locked.answered_at = timezone.now()
        return ["answered_at"]

    with transaction.atomic():
        _apply("answer", feedback=feedback, by=by, prepare=prepare)
        if close:
            feedback_close(feedback=feedback, by=by)
    return feedback


def feedback_close(*, feedback: Feedback, by) -> Feedback:
    """answered → closed; contact details are erased ``FEEDBACK_CONTACT_RETENTION_DAYS`` later."""

    def prepare(locked: Feedback) -> list[str]:
        locked.closed_at = timezone.now()
        return ["closed_at"]

    return _apply("close", feedback=feedback, by=by, prepare=prepare)


def _hide(locked: Feedback) -> list[str]:
    locked.published_at = None
    return ["published_at"]


def feedback_not_publish(*, feedback: Feedback, by, reason: str) -> Feedback:
    """→ not published, with the reason (kept inside the ward, never shown publicly)."""

    def prepare(locked: Feedback) -> list[str]:
        locked.reason = (reason or "").strip()
        return ["reason", *_hide(locked)]

    return _apply("not_publish", feedback=feedback, by=by, reason=reason, prepare=prepare)


def feedback_mark_spam(*, feedback: Feedback, by) -> Feedback:
    """→ spam: never shown."""
    return _apply("spam", feedback=feedback, by=by, prepare=_hide)


def feedback_mark_duplicate(*, feedback: Feedback, by, original: Feedback) -> Feedback:
    """→ duplicate of ``original`` (another item, itself not a duplicate)."""
    if original.pk == feedback.pk:
        raise WorkflowError(_("Không thể đánh dấu trùng với chính nó."), code="self_duplicate")
    if original.status == S.DUPLICATE:
        raise WorkflowError(
            _("%(code)s cũng là bản trùng; hãy chọn góp ý gốc.") % {"code": original.code},
            code="duplicate_of_duplicate",
        )

    def prepare(locked: Feedback) -> list[str]:
        locked.duplicate_of = original
        return ["duplicate_of", *_hide(locked)]

    return _apply("duplicate", feedback=feedback, by=by, reason=original.code, prepare=prepare)


def _note(feedback: Feedback, by, reason: str) -> None:
    """A history row for a change that keeps the status (assigning, publishing): who, when,
    what. Feedback has no django-simple-history table (erased contacts must not survive in
    one), so this is its only history."""
    FeedbackTransition.objects.create(
        feedback=feedback,
        from_status=feedback.status,
        to_status=feedback.status,
        by=by,
        reason=reason,
    )


def feedback_assign(*, feedback: Feedback, by, assignee) -> Feedback:
    """Name the official who answers it (or nobody)."""
    if assignee is not None and not assignee.has_perm(ANSWER_PERMISSION):
        raise WorkflowError(
            _("Người này không có quyền trả lời góp ý."), code="assignee_without_permission"
        )
    with transaction.atomic():
        _edit_assignee(feedback, by, assignee)
        _note(
            feedback,
            by,
            str(_("Phân công: %(who)s") % {"who": assignee.get_username() if assignee else "—"}),
        )
    return feedback


def _edit_assignee(feedback: Feedback, by, assignee) -> Feedback:
    return transitions.edit(
        instance=feedback,
        by=by,
        permission=ANSWER_PERMISSION,
        changes={"assignee": assignee},
        editable_fields=["assignee"],
        refuse=lambda locked: None,
        reason="assign",
    )


def _refuse_publication(locked: Feedback) -> WorkflowError | None:
    if locked.status in HIDDEN_STATUSES or locked.status == S.NEW:
        return WorkflowError(
            _("Không thể công khai góp ý ở trạng thái “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="wrong_state",
        )
    return None


def feedback_publish(
    *, feedback: Feedback, by, public_text: str, personal_data_checked: bool = False
) -> Feedback:
    """Show it on the model's page and in ``/gop-y/`` with ``public_text``: the resident's
    text with personal data masked (the forms start from ``redaction.redact_feedback``).
    Publishing again replaces the public text. Only received items onwards.

    The one detector (``redaction.feedback_findings``: phones, e-mails, ID numbers, house
    addresses, names, the sender's own name and phone) reads ``public_text``: if it finds
    anything, the publication is refused, unless the official confirms with
    ``personal_data_checked`` (“Tôi đã kiểm tra: đây không phải thông tin cá nhân”); the
    history row then records that confirmation, with the official's name and the kinds of
    data flagged (not the flagged text itself, which may be personal after all)."""
    check_permission(by, PUBLISH_PERMISSION)
    public_text = (public_text or "").strip()
    if not public_text:
        raise WorkflowError(_("Cần nội dung công khai."), code="public_text_required")
    findings = redaction.feedback_findings(feedback, public_text)
    if findings and not personal_data_checked:
        raise WorkflowError(
            _(
                "Nội dung công khai còn thông tin cá nhân: %(found)s. Hãy che những phần đó; "
                "nếu chắc chắn đó không phải thông tin cá nhân, đánh dấu “Tôi đã kiểm tra: đây "
                "không phải thông tin cá nhân”."
            )
            % {"found": redaction.describe(findings)},
            code="personal_data",
        )
    with transaction.atomic():
        _edit_publication(feedback, by, public_text)
        note = str(_("Công khai"))
        if findings:
            kinds = dict.fromkeys(str(finding.label) for finding in findings)
            note = str(
                _(
                    "Công khai; %(who)s xác nhận “Tôi đã kiểm tra: đây không phải thông tin "
                    "cá nhân” cho phần bộ lọc báo là %(kinds)s"
                )
                % {"who": by.get_full_name() or by.get_username(), "kinds": ", ".join(kinds)}
            )
        _note(feedback, by, note)
    return feedback


def _edit_publication(feedback: Feedback, by, public_text: str) -> Feedback:
    return transitions.edit(
        instance=feedback,
        by=by,
        permission=PUBLISH_PERMISSION,
        changes={
            "public_text": public_text,
            # The first publication's time stays (the caller's copy is the current row).
            "published_at": feedback.published_at or timezone.now(),
        },
        editable_fields=["public_text", "published_at"],
        refuse=_refuse_publication,
        reason="publish",
    )


def feedback_unpublish(*, feedback: Feedback, by, public_text: str | None = None) -> Feedback:
    """Take it off the public pages (the public text is kept for a later publication).

    ``public_text``, when given, is what the official edited in the same form before pressing
    "Thôi công khai": it is saved in the same step, not thrown away."""
    changes: dict[str, object] = {"published_at": None}
    if public_text and public_text.strip():
        changes["public_text"] = public_text.strip()
    with transaction.atomic():
        transitions.edit(
            instance=feedback,
            by=by,
            permission=PUBLISH_PERMISSION,
            changes=changes,
            editable_fields=["published_at", "public_text"],
            refuse=lambda locked: None,
            reason="unpublish",
        )
        _note(feedback, by, str(_("Thôi công khai")))
    return feedback


def feedback_rate(*, feedback: Feedback, token: str, rating: int) -> Feedback:
    """The resident rates the answer 1–5, once, with the tracking token."""
    if not token_matches(feedback, token):
        raise WorkflowError(_("Đường dẫn theo dõi không đúng."), code="token")
    if rating not in range(1, 6):
        raise WorkflowError(_("Chọn từ 1 đến 5 sao."), code="rating_range")
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if locked.status not in ANSWERED_STATUSES:
            raise WorkflowError(_("Góp ý này chưa được trả lời."), code="not_answered")
        if locked.rating is not None:
            raise WorkflowError(_("Bạn đã đánh giá câu trả lời này."), code="already_rated")
        locked.rating = rating
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rated_at"])
        if locked.is_public:
            public_pages_changed_on_commit()  # infrastructure: the public-page cache
    transitions.refresh_from_locked(feedback, locked, ["rating", "rated_at"])
    return feedback


def feedback_erase_contacts(*, now: dt.datetime | None = None) -> int:
    """Erase the name, phone and client hash of items settled more than
    ``FEEDBACK_CONTACT_RETENTION_DAYS`` ago; returns how many were erased. Safe to repeat.

    Settled: closed (counted from ``closed_at``), answered and left open, or refused (spam,
    duplicate, not published), the last two counted from their last status change: an
    answer nobody closes must not keep a resident's phone number for ever. Items still
    waiting for an answer keep their contacts. A name the resident chose to show stays with
    the public item."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    refused = (
        Feedback.objects.filter(status__in=(S.ANSWERED, *HIDDEN_STATUSES))
        .annotate(last_change=Max("transitions__at"))
        .filter(last_change__lt=cutoff)
        .values("pk")
    )
    stale = Feedback.objects.filter(contacts_erased_at__isnull=True).filter(
        Q(status=S.CLOSED, closed_at__lt=cutoff) | Q(pk__in=refused)
    )
    with transaction.atomic():
        shown = stale.filter(show_name=True).update(
            phone="", client_hash="", contact_consent=False, contacts_erased_at=now
        )
        hidden = stale.filter(show_name=False).update(
            name="", phone="", client_hash="", contact_consent=False, contacts_erased_at=now
        )
    return shown + hidden


# What is still waiting for the ward (the dashboard, the due list).
WAITING_STATUSES = (S.NEW, *OPEN_STATUSES)
