"""The ledger: pledges, donations and expenses, and the contributors they belong to.

Donations and expenses are append-only: ``*_record`` writes an entry, ``*_reverse`` writes
the negative entry that cancels it (with a reason). Nothing is ever updated or deleted.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.formatting import number
from registry.models import Initiative
from registry.transitions import (
    WorkflowError,
    check_permission,
    clean_reason,
    edit,
    refresh_from_locked,
    stamp_history,
)
from wardmodels.pagecache import public_pages_changed_on_commit

from .. import append_only
from ..models import ContributionKind, Contributor, Donation, Expense, Pledge
from ..models.ledger import LEDGER_FIRST_DAY


class LedgerEntryError(WorkflowError):
    """Bad input for a ledger entry; ``field`` names the form field it belongs to."""

    def __init__(self, message, code: str, field: str | None = None):
        super().__init__(message, code)
        self.field = field


# The one table of who may change the ledger.
LEDGER_PERMISSIONS: dict[str, str] = {
    "pledge_record": "campaigns.record_pledge",
    "pledge_update": "campaigns.change_pledge",
    "pledge_cancel": "campaigns.cancel_pledge",
    "donation_record": "campaigns.record_donation",
    "donation_reverse": "campaigns.reverse_donation",
    "expense_record": "campaigns.record_expense",
    "expense_reverse": "campaigns.reverse_expense",
}

# Kinds measured in their own unit as well as in đồng: a quantity is required.
QUANTITY_REQUIRED = {ContributionKind.LABOUR, ContributionKind.LAND}


CONTRIBUTOR_PERMISSION = "campaigns.add_contributor"


def contributor_create(*, by, **fields) -> Contributor:
    """Add a contributor (a household, a business, a person) to pledge or give under.

    ``fields`` are the contributor's fields; who added them is kept by the history row.
    """
    check_permission(by, CONTRIBUTOR_PERMISSION)
    contributor = Contributor(**fields)
    stamp_history(contributor, by)
    contributor.save()
    return contributor


def check_amount(amount, *, field: str = "amount") -> int:
    """A whole, positive number of đồng, not above ``settings.LEDGER_MAX_AMOUNT``."""
    if amount is None or isinstance(amount, bool) or int(amount) != amount:
        raise LedgerEntryError(
            _("Số tiền phải là số nguyên đồng."), code="amount_not_whole", field=field
        )
    amount = int(amount)
    if amount <= 0:
        raise LedgerEntryError(
            _("Số tiền phải lớn hơn 0. Muốn sửa một khoản đã ghi, hãy điều chỉnh (đảo) khoản đó."),
            code="amount_not_positive",
            field=field,
        )
    ceiling = settings.LEDGER_MAX_AMOUNT
    if amount > ceiling:
        raise LedgerEntryError(
            _(
                "Số tiền %(amount)s ₫ vượt mức tối đa cho một lần ghi (%(ceiling)s ₫). "
                "Hãy kiểm tra lại số chữ số 0."
            )
            % {
                "amount": number(amount),
                "ceiling": number(ceiling),
            },
            code="amount_above_ceiling",
            field=field,
        )
    return amount


def check_ledger_date(day: date | None, *, field: str) -> date:
    """A ledger date from 2000 (the database's CHECK) up to today in the ward's time zone.

    "Not after today" cannot be a CHECK: a CHECK must give the same answer whenever it is
    evaluated (a row valid today would stay valid, but the rule would depend on the clock),
    so it is checked here, where every form, admin page and command records an entry.
    """
    if day is None:
        raise LedgerEntryError(_("Cần ghi ngày."), code="date_required", field=field)
    if day < LEDGER_FIRST_DAY:
        raise LedgerEntryError(
            _("Ngày %(day)s quá sớm: sổ chỉ ghi từ ngày %(first)s. Hãy kiểm tra lại năm.")
            % {"day": day.strftime("%d/%m/%Y"), "first": LEDGER_FIRST_DAY.strftime("%d/%m/%Y")},
            code="date_too_early",
            field=field,
        )
    if day > timezone.localdate():
        raise LedgerEntryError(
            _("Ngày %(day)s chưa tới: không thể ghi trước.") % {"day": day.strftime("%d/%m/%Y")},
            code="date_in_future",
            field=field,
        )
    return day


def check_quantity(kind: str, quantity: Decimal | None) -> Decimal | None:
    if quantity is not None and quantity <= 0:
        raise LedgerEntryError(
            _("Số lượng phải lớn hơn 0."), code="quantity_not_positive", field="quantity"
        )
    if kind in QUANTITY_REQUIRED and quantity is None:
        raise LedgerEntryError(
            _("Đóng góp bằng ngày công hoặc đất cần ghi số lượng (số ngày công, số m²)."),
            code="quantity_required",
            field="quantity",
        )
    return quantity


def check_document_number(number: str | None, *, model, field: str, replacing=None) -> str:
    """A number no entry that stands holds (a reversed entry's number may be used again by
    the entry that corrects it: the database's unique index counts only entries not reversed).
    """
    number = (number or "").strip()
    if not number:
        raise LedgerEntryError(_("Cần ghi số chứng từ."), code="number_required", field=field)
    holders = model.objects.filter(**{field: number}, has_reversal=False)
    if replacing is not None:
        holders = holders.exclude(pk=replacing.pk)
    if holders.exists():
        raise LedgerEntryError(
            _("Số %(number)s đã được dùng cho một khoản khác.") % {"number": number},
            code="duplicate_number",
            field=field,
        )
    return number


def check_pledge(pledge: Pledge | None, *, initiative: Initiative, contributor: Contributor):
    if pledge is None:
        return
    if pledge.cancelled:
        raise LedgerEntryError(
            _("Cam kết này đã hủy: không thể ghi nhận khoản đóng góp theo cam kết đó."),
            code="pledge_cancelled",
            field="pledge",
        )
    if pledge.initiative_id != initiative.pk or pledge.contributor_id != contributor.pk:
        raise LedgerEntryError(
            _("Cam kết này thuộc mô hình hoặc người đóng góp khác."),
            code="pledge_mismatch",
            field="pledge",
        )


def _create_unique(model, number_field: str, **fields):
    """Insert an entry; a number taken meanwhile by someone else becomes a clear error."""
    try:
        with transaction.atomic():
            entry = model.objects.create(**fields)
            public_pages_changed_on_commit()  # infrastructure: the public-page cache
            return entry
    except IntegrityError:
        number = fields.get(number_field)
        if number and model.objects.filter(**{number_field: number}, has_reversal=False).exists():
            raise LedgerEntryError(
                _("Số %(number)s đã được dùng cho một khoản khác.") % {"number": number},
                code="duplicate_number",
                field=number_field,
            ) from None
        raise


def pledge_record(
    *,
    initiative: Initiative,
    contributor: Contributor,
    kind: str,
    value: int,
    pledged_on: date,
    by,
    due_on: date | None = None,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    corrects: Pledge | None = None,
) -> Pledge:
    """Record a promise to give; its state is derived later from donations and dates.

    ``corrects``: the cancelled pledge this one replaces (``pledge_correct``).
    """
    check_permission(by, LEDGER_PERMISSIONS["pledge_record"])
    value = _check_pledge_terms(
        kind=kind, value=value, pledged_on=pledged_on, due_on=due_on, quantity=quantity
    )
    pledge = Pledge(
        initiative=initiative,
        contributor=contributor,
        kind=kind,
        value=value,
        pledged_on=pledged_on,
        due_on=due_on,
        description=description,
        quantity=quantity,
        unit=unit,
        recorded_by=by,
        corrects=corrects,
    )
    stamp_history(pledge, by)
    pledge.save()
    public_pages_changed_on_commit()  # infrastructure: the public-page cache
    return pledge


def _check_pledge_terms(*, kind, value, pledged_on, due_on, quantity) -> int:
    value = check_amount(value, field="value")
    check_ledger_date(pledged_on, field="pledged_on")
    check_quantity(kind, quantity)
    if due_on is not None and due_on < pledged_on:
        raise LedgerEntryError(
            _("Hạn đóng góp phải sau ngày cam kết."), code="due_before_pledged", field="due_on"
        )
    return value


# What a standing pledge's correction may change (``pledge_update``).
PLEDGE_FIELDS = (
    "initiative",
    "contributor",
    "kind",
    "value",
    "pledged_on",
    "due_on",
    "description",
    "quantity",
    "unit",
)


def pledge_update(*, pledge: Pledge, by, **changes) -> Pledge:
    """Correct a pledge's terms (a typing mistake, a new due date) while it stands.

    A cancelled pledge stays as it was cancelled. The same checks as ``pledge_record``; the
    history row keeps what it said before.
    """

    def validate(locked: Pledge) -> None:
        locked.value = _check_pledge_terms(
            kind=locked.kind,
            value=locked.value,
            pledged_on=locked.pledged_on,
            due_on=locked.due_on,
            quantity=locked.quantity,
        )

    return edit(
        instance=pledge,
        by=by,
        permission=LEDGER_PERMISSIONS["pledge_update"],
        changes=changes,
        editable_fields=PLEDGE_FIELDS,
        refuse=lambda locked: (
            WorkflowError(_("Cam kết này đã hủy rồi."), code="already_cancelled")
            if locked.cancelled
            else None
        ),
        validate=validate,
    )


def pledge_cancel(*, pledge: Pledge, by, reason: str) -> Pledge:
    """Cancel a pledge (the contributor withdrew it), with a reason; repeating it is refused."""
    check_permission(by, LEDGER_PERMISSIONS["pledge_cancel"])
    reason = clean_reason(reason, required=True)
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if locked.cancelled:
            raise WorkflowError(_("Cam kết này đã hủy rồi."), code="already_cancelled")
        locked.cancelled = True
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        stamp_history(locked, by, reason)
        locked.save(update_fields=["cancelled", "cancelled_at", "cancel_reason"])
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    refresh_from_locked(pledge, locked, ["cancelled", "cancelled_at", "cancel_reason"])
    return pledge


def donation_record(
    *,
    initiative: Initiative,
    contributor: Contributor,
    kind: str,
    amount: int,
    received_on: date,
    receipt_number: str,
    by,
    pledge: Pledge | None = None,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    corrects: Donation | None = None,
) -> Donation:
    """Record something received (cash, goods, labour-days, land), valued in đồng.

    Refuses: no permission, amount not positive or above the ceiling, a date in the future,
    a labour/land entry without quantity, a duplicate receipt number, a cancelled pledge or
    one of another initiative/contributor. The pledge's row is locked so that it cannot be
    cancelled while the donation is written against it. ``corrects``: the reversed donation
    this one replaces (``donation_correct``), whose receipt number it may carry again.
    """
    check_permission(by, LEDGER_PERMISSIONS["donation_record"])
    amount = check_amount(amount)
    check_ledger_date(received_on, field="received_on")
    check_quantity(kind, quantity)
    receipt_number = check_document_number(
        receipt_number, model=Donation, field="receipt_number", replacing=corrects
    )
    with transaction.atomic():
        if pledge is not None:
            pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        check_pledge(pledge, initiative=initiative, contributor=contributor)
        return _create_unique(
            Donation,
            "receipt_number",
            initiative=initiative,
            contributor=contributor,
            pledge=pledge,
            kind=kind,
            description=description,
            quantity=quantity,
            unit=unit,
            amount=amount,
            received_on=received_on,
            counted_on=received_on,
            receipt_number=receipt_number,
            recorded_by=by,
            corrects=corrects,
        )


def expense_record(
    *,
    initiative: Initiative,
    description: str,
    amount: int,
    spent_on: date,
    voucher_number: str,
    by,
    corrects: Expense | None = None,
) -> Expense:
    """Record money spent from the contributions, with its voucher number.

    ``corrects``: the reversed expense this one replaces (``expense_correct``).
    """
    check_permission(by, LEDGER_PERMISSIONS["expense_record"])
    amount = check_amount(amount)
    check_ledger_date(spent_on, field="spent_on")
    description = (description or "").strip()
    if not description:
        raise LedgerEntryError(
            _("Cần ghi nội dung chi."), code="description_required", field="description"
        )
    voucher_number = check_document_number(
        voucher_number, model=Expense, field="voucher_number", replacing=corrects
    )
    return _create_unique(
        Expense,
        "voucher_number",
        initiative=initiative,
        description=description,
        amount=amount,
        spent_on=spent_on,
        counted_on=spent_on,
        voucher_number=voucher_number,
        recorded_by=by,
        corrects=corrects,
    )


def _reverse(entry, *, by, reason: str, action: str, copy: dict):
    """Write the negative twin of ``entry``; a lock on the original serialises reversers."""
    check_permission(by, LEDGER_PERMISSIONS[action])
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do điều chỉnh."), code="reason_required")
    model = type(entry)
    with transaction.atomic():
        locked = append_only.locked(model, entry.pk)
        if locked.reverses_id is not None:
            raise WorkflowError(
                _("Đây là bút toán điều chỉnh: không thể điều chỉnh tiếp."),
                code="reversal_of_reversal",
            )
        if model.objects.filter(reverses=locked).exists():
            raise WorkflowError(_("Khoản này đã được điều chỉnh rồi."), code="already_reversed")
        fields = {name: getattr(locked, name) for name in copy["same"]}
        fields.update(
            {
                name: -getattr(locked, name)
                for name in copy["negated"]
                if getattr(locked, name) is not None
            }
        )
        try:
            with transaction.atomic():
                public_pages_changed_on_commit()  # infrastructure: the public-page cache
                return model.objects.create(
                    **fields,
                    amount=-locked.amount,
                    reverses=locked,
                    reason=reason,
                    recorded_by=by,
                    **{copy["date"]: timezone.localdate()},
                )
        except IntegrityError:
            # The unique link on ``reverses`` caught a concurrent reversal (on engines
            # without row locks); say so plainly.
            if model.objects.filter(reverses=locked).exists():
                raise WorkflowError(
                    _("Khoản này đã được điều chỉnh rồi."), code="already_reversed"
                ) from None
            raise


def donation_reverse(*, donation: Donation, by, reason: str) -> Donation:
    """Cancel a recorded donation by writing its negative twin, dated today, with a reason.

    The original stays as it was. A reversal cannot itself be reversed, and an entry is
    reversed at most once (enforced by a lock here and a unique column in the database).
    """
    return _reverse(
        donation,
        by=by,
        reason=reason,
        action="donation_reverse",
        copy={
            "same": [
                "initiative_id",
                "contributor_id",
                "pledge_id",
                "kind",
                "description",
                "unit",
                # Reports count the reversal in the original's period.
                "counted_on",
            ],
            "negated": ["quantity"],
            "date": "received_on",
        },
    )


def expense_reverse(*, expense: Expense, by, reason: str) -> Expense:
    """Cancel a recorded expense by writing its negative twin, dated today, with a reason."""
    return _reverse(
        expense,
        by=by,
        reason=reason,
        action="expense_reverse",
        copy={
            "same": ["initiative_id", "description", "counted_on"],
            "negated": [],
            "date": "spent_on",
        },
    )


# --- correcting an entry in one step ------------------------------------------------------------
#
# The reversal and the entry that replaces it are written in one transaction, when the
# corrected values are saved: a failed check on the new values (a date in the future, a number
# taken) rolls the reversal back too, so the ledger never holds a reversal whose replacement
# was never written. Reversing first and opening a pre-filled form afterwards would leave the
# entry cancelled if the official closed the page.

# The values a correction form starts from, by kind: the corrected entry's own.
CORRECTION_FIELDS = {
    # A correction stays with the model: everything ``pledge_update`` may change but that.
    "pledge": tuple(name for name in PLEDGE_FIELDS if name != "initiative"),
    "donation": (
        "contributor",
        "pledge",
        "kind",
        "amount",
        "received_on",
        "receipt_number",
        "description",
        "quantity",
        "unit",
    ),
    "expense": ("description", "amount", "spent_on", "voucher_number"),
}


def correction_initial(entry) -> dict:
    """The corrected entry's values, to pre-fill the form of the entry that replaces it."""
    kind = type(entry).__name__.lower()
    return {name: getattr(entry, name) for name in CORRECTION_FIELDS[kind]}


def _check_correctable(entry) -> None:
    if getattr(entry, "reverses_id", None) is not None:
        raise WorkflowError(
            _("Đây là bút toán điều chỉnh: không thể sửa tiếp."), code="reversal_of_reversal"
        )


def donation_correct(*, donation: Donation, by, reason: str, **fields) -> Donation:
    """Reverse ``donation`` and record the donation that replaces it, in one transaction.

    ``fields`` are ``donation_record``'s (the initiative stays the original's); the new entry
    ``corrects`` the reversed one and may carry its receipt number. Needs both the permission
    to reverse and the permission to record.
    """
    check_permission(by, LEDGER_PERMISSIONS["donation_record"])
    _check_correctable(donation)
    with transaction.atomic():
        donation_reverse(donation=donation, by=by, reason=reason)
        return donation_record(initiative=donation.initiative, by=by, corrects=donation, **fields)


def expense_correct(*, expense: Expense, by, reason: str, **fields) -> Expense:
    """Reverse ``expense`` and record the expense that replaces it, in one transaction."""
    check_permission(by, LEDGER_PERMISSIONS["expense_record"])
    _check_correctable(expense)
    with transaction.atomic():
        expense_reverse(expense=expense, by=by, reason=reason)
        return expense_record(initiative=expense.initiative, by=by, corrects=expense, **fields)


def pledge_correct(*, pledge: Pledge, by, reason: str, **fields) -> Pledge:
    """Cancel ``pledge`` and record the pledge that replaces it, in one transaction.

    Refused while donations received against it stand: they would stay with the cancelled
    pledge. Correct or reverse those first.
    """
    check_permission(by, LEDGER_PERMISSIONS["pledge_record"])
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        received = locked.received()
        if received:
            raise WorkflowError(
                _(
                    "Cam kết này đã nhận %(received)s ₫: các khoản đã nhận vẫn gắn với nó. "
                    "Hãy sửa hoặc điều chỉnh các khoản đó trước."
                )
                % {"received": number(received)},
                code="pledge_has_donations",
            )
        pledge_cancel(pledge=pledge, by=by, reason=reason)
        return pledge_record(initiative=pledge.initiative, by=by, corrects=pledge, **fields)


def outside_model_dates(initiative: Initiative, day: date | None) -> str | None:
    """A warning (never a refusal) when an entry's date falls outside the model's dates.

    A receipt after a model ended is legitimate (a late payment) but often a mistyped date;
    the official who records it is told, with the model's dates.
    """
    if day is None:
        return None
    started, ended = initiative.started_on, initiative.ended_on
    if started is not None and day < started:
        return _(
            "Lưu ý: ngày %(day)s trước ngày mô hình bắt đầu (%(started)s). Hãy kiểm tra lại ngày."
        ) % {"day": day.strftime("%d/%m/%Y"), "started": started.strftime("%d/%m/%Y")}
    if ended is not None and day > ended:
        return _(
            "Lưu ý: ngày %(day)s sau ngày mô hình kết thúc (%(ended)s). Hãy kiểm tra lại ngày."
        ) % {"day": day.strftime("%d/%m/%Y"), "ended": ended.strftime("%d/%m/%Y")}
    return None
