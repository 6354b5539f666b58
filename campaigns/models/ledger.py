"""The contributions ledger: who pledged and gave what to which model, and what was spent.

Donations and expenses are **append-only**: a row, once written, is never changed or
deleted. A mistake is corrected by a reversing entry (negative amount, ``reverses`` pointing
at the original, a reason) written by ``campaigns.workflow.donation_reverse`` /
``expense_reverse``. The database enforces the shape of the entries (CHECK and UNIQUE
constraints, and a trigger that refuses to reverse a reversal: see migration 0001); the
QuerySet and the model refuse ``update()``, ``delete()`` and re-saving an existing row.

A contributor's address and phone number are private: public queries
(``campaigns/queries/``) read only names, kinds and amounts, and only with consent.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.formatting import vnd
from registry.money import MoneyField
from registry.text import fold

__all__ = [
    "AppendOnlyError",
    "ContributionKind",
    "Contributor",
    "ContributorKind",
    "Donation",
    "Expense",
    "Pledge",
    "PledgeState",
]


class ContributorKind(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    BUSINESS = "business", _("Doanh nghiệp, hộ kinh doanh")
    ORGANISATION = "organisation", _("Cơ quan, tổ chức")
    INDIVIDUAL = "individual", _("Cá nhân")
    # One entry standing for many givers when the source gives only their total
    # (e.g. "the businesses and households along Lê Lợi street": 310.000.000 ₫).
    COLLECTIVE = "collective", _("Nhiều hộ, doanh nghiệp (ghi gộp)")


class ContributionKind(models.TextChoices):
    CASH = "cash", pgettext_lazy("contribution kind", "Tiền mặt")
    IN_KIND = "in_kind", pgettext_lazy("contribution kind", "Hiện vật")
    LABOUR = "labour", pgettext_lazy("contribution kind", "Ngày công")
    LAND = "land", pgettext_lazy("contribution kind", "Đất")


class PledgeState(models.TextChoices):
    OPEN = "open", pgettext_lazy("pledge state", "Chưa nhận")
    PARTLY_RECEIVED = "partly_received", pgettext_lazy("pledge state", "Đã nhận một phần")
    FULFILLED = "fulfilled", pgettext_lazy("pledge state", "Đã nhận đủ")
    OVERDUE = "overdue", pgettext_lazy("pledge state", "Quá hạn")
    CANCELLED = "cancelled", pgettext_lazy("pledge state", "Đã hủy")


# The first day a ledger date may have (a CHECK on every date column): a mistyped year
# (0001-01-01) would otherwise reach the reports and the open data as a month of its own.
LEDGER_FIRST_DAY = date(2000, 1, 1)


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a ledger entry instead of reversing it."""


class Contributor(models.Model):
    """A household, business, organisation or person who pledged or gave something.

    ``address`` and ``phone`` are for the ward's officials only: they never reach a public
    page, export or error page.
    """

    kind = models.CharField(_("loại"), max_length=16, choices=ContributorKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    address = models.CharField(_("địa chỉ (không công khai)"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại (không công khai)"), max_length=30, blank=True)
    residential_area = models.ForeignKey(
        "registry.ResidentialArea",
        verbose_name=_("khu dân cư"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributors",
    )
    publish_name = models.BooleanField(
        _("đồng ý công khai tên"),
        default=False,
        help_text=_("Chỉ công khai tên khi người đóng góp đã đồng ý."),
    )
    publish_amount = models.BooleanField(
        _("đồng ý công khai số tiền"),
        default=False,
        help_text=_("Số tiền chỉ hiện cạnh tên khi người đóng góp đồng ý cả hai."),
    )
    note = models.TextField(_("ghi chú nội bộ"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # The name folded (registry.text.fold: no diacritics, đ → d, lower case) for the
    # workspace's contributor search; derived, like Initiative.search_text. Nullable only so
    # that SQLite adds the column in place: rebuilding the table would break the ledger's
    # triggers, which name it.
    name_folded = models.CharField(max_length=200, editable=False, null=True)  # noqa: DJ001

    history = HistoricalRecords(excluded_fields=["name_folded"])

    class Meta:
        verbose_name = _("người đóng góp")
        verbose_name_plural = _("người đóng góp")
        ordering = ["name", "id"]
        permissions = [
            ("view_contributor_contact", _("Xem thông tin liên hệ của người đóng góp")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContributorKind.values), name="contributor_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="contributor_name_not_empty"),
        ]
        indexes = [models.Index(fields=["phone"], name="contributor_phone_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived search column, not a business rule: kept next to the name it folds.
        self.name_folded = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)


class PledgeQuerySet(models.QuerySet):
    def with_received(self):
        """Annotate ``received_amount``: the net sum of the pledge's donations."""
        return self.annotate(received_amount=Coalesce(models.Sum("donations__amount"), 0))


class Pledge(models.Model):
    """A promise to give (cash, goods, labour-days, land), valued in đồng.

    Its state is derived from its donations and dates (``state``), never stored.
    """

    initiative = models.ForeignKey(
        "registry.Initiative",
        verbose_name=_("mô hình"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    contributor = models.ForeignKey(
        Contributor,
        verbose_name=_("người đóng góp"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=ContributionKind.choices)
    description = models.CharField(_("nội dung"), max_length=300, blank=True)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    value = MoneyField(_("giá trị (đồng)"))
    pledged_on = models.DateField(_("ngày cam kết"))
    due_on = models.DateField(_("hạn đóng góp"), null=True, blank=True)
    cancelled = models.BooleanField(_("đã hủy"), default=False, editable=False)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True, editable=False)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("sửa cho cam kết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        editable=False,
        help_text=_("Cam kết đã hủy mà cam kết này thay thế (ghi cùng lúc với việc hủy)."),
    )

    history = HistoricalRecords()
    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cam kết đóng góp")
        verbose_name_plural = _("cam kết đóng góp")
        ordering = ["-pledged_on", "-id"]
        indexes = [
            # The dashboard's overdue pledges walk this in order and stop after the
            # few they show (campaigns.queries.overdue_pledges).
            models.Index(
                fields=["due_on", "id"], name="pledge_due_idx", condition=Q(cancelled=False)
            ),
            # The reports' pledged sums for a period: an index-only scan by date.
            models.Index(
                fields=["pledged_on", "initiative", "kind", "value"],
                name="pledge_period_idx",
                condition=Q(cancelled=False),
            ),
        ]
        permissions = [
            ("record_pledge", _("Ghi cam kết đóng góp")),
            ("cancel_pledge", _("Hủy cam kết đóng góp")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="pledge_value_positive"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="pledge_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="pledge_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("pledged_on")),
                name="pledge_due_after_pledged",
            ),
            models.CheckConstraint(
                condition=Q(cancelled=False) | Q(cancelled_at__isnull=False),
                name="pledge_cancelled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(pledged_on__gte=LEDGER_FIRST_DAY), name="pledge_date_from_2000"
            ),
        ]

    def __str__(self):
        return f"{self.contributor} → {self.initiative}: {vnd(self.value)}"

    def received(self) -> int:
        """Net amount received against this pledge (uses the annotation when present)."""
        annotated = getattr(self, "received_amount", None)
        if annotated is not None:
            return annotated
        return self.donations.aggregate(total=Coalesce(models.Sum("amount"), 0))["total"]

    def state(self, today: date | None = None) -> str:
        """Cancelled, fulfilled, overdue, partly received or open: derived, never stored."""
        if self.cancelled:
            return PledgeState.CANCELLED
        received = self.received()
        if received >= self.value:
            return PledgeState.FULFILLED
        today = today or timezone.localdate()
        if self.due_on is not None and self.due_on < today:
            return PledgeState.OVERDUE
        if received > 0:
            return PledgeState.PARTLY_RECEIVED
        return PledgeState.OPEN

    def get_state_display(self) -> str:
        return PledgeState(self.state()).label

    @property
    def corrected_by_or_none(self):
        """The pledge that replaced this one (``corrects`` read backwards), or None."""
        return getattr(self, "corrected_by", None)


class LedgerQuerySet(models.QuerySet):
    """Append-only: bulk changes and deletions are refused; reverse an entry instead."""

    def update(self, **kwargs):
        raise AppendOnlyError(
            f"{self.model.__name__} entries are append-only: reverse an entry, never update it."
        )

    def delete(self):
        raise AppendOnlyError(
            f"{self.model.__name__} entries are append-only: reverse an entry, never delete it."
        )

    def standing(self):
        """Normal entries that have not been reversed: what a public list shows."""
        return self.filter(reverses__isnull=True, reversal__isnull=True)


class LedgerEntry(models.Model):
    """What donations and expenses share: an amount, a reversal link, who recorded it."""

    amount = MoneyField(
        _("số tiền, giá trị (đồng)"),
        help_text=_("Đồng, số nguyên. Bút toán điều chỉnh mang số âm."),
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("điều chỉnh cho bút toán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        editable=False,
    )
    reason = models.TextField(_("lý do điều chỉnh"), blank=True, editable=False)
    # Set by the database when the reversal is inserted (campaigns/append_only.py), the one
    # change the guard lets through: document numbers are unique among entries not reversed,
    # so that the entry that corrects a reversed one may carry the paper's number again.
    has_reversal = models.BooleanField(_("đã điều chỉnh (đảo)"), default=False, editable=False)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("sửa cho khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        editable=False,
        help_text=_("Khoản đã bị đảo mà khoản này thay thế (ghi cùng lúc với bút toán đảo)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        # Not SET_NULL: that would rewrite entries, which the database refuses (append-only).
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A guard, not a business rule: an existing entry is never written again.
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} entries are append-only: reverse an entry instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"{type(self).__name__} entries are append-only: reverse an entry instead."
        )

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")

    @property
    def corrected_by_or_none(self):
        """The entry that replaced this one (``corrects`` read backwards), or None."""
        return getattr(self, "corrected_by", None)


def _entry_constraints(prefix: str, number_field: str) -> list:
    """The database rules every ledger table shares (see the module docstring)."""
    return [
        # A normal entry is positive and has its own document number; a reversal is
        # negative, points at the entry it reverses, gives a reason and has no number.
        models.CheckConstraint(
            condition=(
                Q(reverses__isnull=True, amount__gt=0, **{f"{number_field}__isnull": False})
                & ~Q(**{number_field: ""})
            )
            | Q(
                reverses__isnull=False,
                amount__lt=0,
                **{f"{number_field}__isnull": True},
            )
            & ~Q(reason=""),
            name=f"{prefix}_sign_matches_reversal",
        ),
        models.CheckConstraint(
            condition=~Q(reverses=F("id")), name=f"{prefix}_not_reversing_itself"
        ),
        # A correction is a normal entry; a reversal is never itself reversed.
        models.CheckConstraint(
            condition=Q(corrects__isnull=True) | Q(reverses__isnull=True, corrects__lt=F("id")),
            name=f"{prefix}_correction_is_a_later_normal_entry",
        ),
        models.CheckConstraint(
            condition=Q(reverses__isnull=True) | Q(has_reversal=False),
            name=f"{prefix}_reversal_not_reversed",
        ),
        models.UniqueConstraint(
            fields=[number_field],
            condition=Q(has_reversal=False),
            name=f"{prefix}_{number_field}_unique_unless_reversed",
        ),
    ]


def _counted_on_field():
    return models.DateField(
        _("tính vào ngày"),
        editable=False,
        help_text=_(
            "Ngày của khoản; với bút toán điều chỉnh là ngày của khoản được điều chỉnh: "
            "báo cáo tính bút toán vào kỳ của khoản đó."
        ),
    )


def _counted_on_constraint(prefix: str, date_field: str):
    """A normal entry counts on its own date; a reversal on its original's (a trigger checks
    that one, since a CHECK cannot look at another row: migration 0007)."""
    return models.CheckConstraint(
        condition=Q(reverses__isnull=False) | Q(counted_on=F(date_field)),
        name=f"{prefix}_counted_on_own_date",
    )


def _date_from_2000_constraint(prefix: str, date_field: str):
    return models.CheckConstraint(
        condition=Q(
            **{f"{date_field}__gte": LEDGER_FIRST_DAY, "counted_on__gte": LEDGER_FIRST_DAY}
        ),
        name=f"{prefix}_date_from_2000",
    )


class Donation(LedgerEntry):
    """Something received: cash, goods, labour-days or land, valued in đồng."""

    initiative = models.ForeignKey(
        "registry.Initiative",
        verbose_name=_("mô hình"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    contributor = models.ForeignKey(
        Contributor,
        verbose_name=_("người đóng góp"),
        on_delete=models.PROTECT,
        related_name="donations",
    )
    pledge = models.ForeignKey(
        Pledge,
        verbose_name=_("theo cam kết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=ContributionKind.choices)
    description = models.CharField(_("nội dung"), max_length=300, blank=True)
    quantity = models.DecimalField(
        _("số lượng"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Bắt buộc với ngày công (số ngày) và đất (m²)."),
    )
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    # Reports select and group by this date (indexed), never by joining the original entry.
    counted_on = _counted_on_field()
    receipt_number = models.CharField(_("số biên nhận"), max_length=40, null=True, blank=True)

    class Meta:
        verbose_name = _("khoản đã nhận")
        verbose_name_plural = _("khoản đã nhận")
        ordering = ["-received_on", "-id"]
        permissions = [
            ("record_donation", _("Ghi khoản đóng góp đã nhận")),
            ("reverse_donation", _("Điều chỉnh (đảo) khoản đóng góp đã ghi")),
        ]
        constraints = [
            *_entry_constraints("donation", "receipt_number"),
            _counted_on_constraint("donation", "received_on"),
            _date_from_2000_constraint("donation", "received_on"),
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values), name="donation_kind_valid"
            ),
            # Labour-days and land are totalled in their own units: they need a quantity,
            # with the entry's sign.
            models.CheckConstraint(
                condition=Q(
                    kind__in=[ContributionKind.CASH, ContributionKind.IN_KIND],
                    quantity__isnull=True,
                )
                # isnull=False spelled out: a NULL comparison would let the CHECK pass.
                | Q(reverses__isnull=True, quantity__isnull=False, quantity__gt=0)
                | Q(reverses__isnull=False, quantity__isnull=False, quantity__lt=0),
                name="donation_quantity_for_labour_and_land",
            ),
        ]
        indexes = [
            models.Index(fields=["initiative", "kind"], name="donation_initiative_idx"),
            # The reports' period scans: an index-only scan by date with what they sum.
            models.Index(
                fields=["counted_on", "initiative", "kind", "amount", "contributor", "quantity"],
                name="donation_counted_idx",
            ),
        ]

    def __str__(self):
        number = self.receipt_number or _("điều chỉnh")
        return f"{number}: {vnd(self.amount)}"


class Expense(LedgerEntry):
    """Money spent from the contributions, with its voucher."""

    initiative = models.ForeignKey(
        "registry.Initiative",
        verbose_name=_("mô hình"),
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    description = models.CharField(_("nội dung chi"), max_length=300)
    spent_on = models.DateField(_("ngày chi"))
    counted_on = _counted_on_field()
    voucher_number = models.CharField(_("số chứng từ"), max_length=40, null=True, blank=True)

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        ordering = ["-spent_on", "-id"]
        permissions = [
            ("record_expense", _("Ghi khoản chi")),
            ("reverse_expense", _("Điều chỉnh (đảo) khoản chi đã ghi")),
        ]
        constraints = [
            *_entry_constraints("expense", "voucher_number"),
            _counted_on_constraint("expense", "spent_on"),
            _date_from_2000_constraint("expense", "spent_on"),
            models.CheckConstraint(
                condition=~Q(description=""), name="expense_description_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["initiative"], name="expense_initiative_idx"),
            models.Index(fields=["counted_on", "initiative", "amount"], name="expense_counted_idx"),
        ]

    def __str__(self):
        number = self.voucher_number or _("điều chỉnh")
        return f"{number}: {vnd(self.amount)}"
