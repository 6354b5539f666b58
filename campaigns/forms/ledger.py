"""Workspace forms of the ledger: contributors, pledges, donations, expenses, reversals.

They check the shape of the input (numbers, dates, choices); the rules (positive amounts,
unique receipt numbers, dates not in the future, ...) are checked by campaigns.workflow,
whose ``LedgerEntryError.field`` names the field an error belongs to.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.money import MoneyFormField

from ..models import ContributionKind, Contributor, Pledge
from ..models.ledger import LEDGER_FIRST_DAY
from ..workflow.ledger import LedgerEntryError, check_ledger_date

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label, *, required=True, help_text="", up_to_today=True):
    """A ledger date: from 2000 and, for the day something happened, not after today."""
    field = forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        validators=[_ledger_date if up_to_today else _from_first_day],
    )
    field.up_to_today = up_to_today
    return field


def _ledger_date(day):
    try:
        check_ledger_date(day, field="")
    except LedgerEntryError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from None


def _from_first_day(day):
    if day < LEDGER_FIRST_DAY:
        _ledger_date(day)


class _LedgerDatesForm(forms.Form):
    """Date pickers offer only the days the ledger accepts (the server checks them anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and hasattr(field, "up_to_today"):
                field.widget.attrs["min"] = LEDGER_FIRST_DAY.isoformat()
                if field.up_to_today:
                    field.widget.attrs["max"] = today


def _money_field(label):
    # The sign and the ceiling are the workflow's rules, with its messages (a negative sum
    # is "reverse the entry instead"; an absurd one "check the number of zeros").
    return MoneyFormField(label=label, min_value=None, max_value=None)


class ContributorForm(forms.ModelForm):
    class Meta:
        model = Contributor
        fields = [
            "kind",
            "name",
            "phone",
            "address",
            "residential_area",
            "publish_name",
            "publish_amount",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class _ForContributorForm(_LedgerDatesForm):
    """A pledge or donation: the contributor was picked beforehand (a hidden field)."""

    contributor = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput, required=False, label=_("Người đóng góp")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributor"].queryset = Contributor.objects.all()

    def clean(self):
        cleaned = super().clean()
        # The field is hidden: its errors would be invisible, so they go to the top.
        if self.errors.pop("contributor", None) or not cleaned.get("contributor"):
            raise forms.ValidationError(
                _("Hãy tìm và chọn người đóng góp (hoặc thêm người mới) trước."),
                code="contributor_required",
            )
        return cleaned


def _kind_field():
    return forms.ChoiceField(label=_("Hình thức"), choices=ContributionKind.choices)


class PledgeForm(_ForContributorForm):
    kind = _kind_field()
    value = _money_field(_("Giá trị cam kết (đồng)"))
    pledged_on = _date_field(_("Ngày cam kết"))
    due_on = _date_field(_("Hạn đóng góp"), required=False, up_to_today=False)
    description = forms.CharField(label=_("Nội dung"), max_length=300, required=False)
    quantity = forms.DecimalField(
        label=_("Số lượng"), max_digits=14, decimal_places=2, required=False
    )
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)


class DonationForm(_ForContributorForm):
    pledge = forms.ModelChoiceField(
        label=_("Theo cam kết"),
        queryset=None,
        required=False,
        empty_label=_("(không theo cam kết nào)"),
    )
    kind = _kind_field()
    amount = _money_field(_("Số tiền, giá trị (đồng)"))
    received_on = _date_field(_("Ngày nhận"))
    receipt_number = forms.CharField(label=_("Số biên nhận"), max_length=40)
    description = forms.CharField(label=_("Nội dung"), max_length=300, required=False)
    quantity = forms.DecimalField(
        label=_("Số lượng"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Bắt buộc với ngày công (số ngày) và đất (m²)."),
    )
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)

    def __init__(self, *args, initiative, contributor_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pledge"].queryset = Pledge.objects.filter(
            initiative=initiative, contributor_id=contributor_id, cancelled=False
        ).select_related("contributor", "initiative")


class ExpenseForm(_LedgerDatesForm):
    description = forms.CharField(label=_("Nội dung chi"), max_length=300)
    amount = _money_field(_("Số tiền (đồng)"))
    spent_on = _date_field(_("Ngày chi"))
    voucher_number = forms.CharField(label=_("Số chứng từ"), max_length=40)


class ShortReasonForm(forms.Form):
    """The reason of a cancellation or reversal, one line in a table row."""

    reason = forms.CharField(label=_("Lý do"), max_length=2000)


class _CorrectionReason(forms.Form):
    reason = forms.CharField(
        label=_("Lý do sửa"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào bút toán điều chỉnh của khoản cũ, ví dụ “gõ nhầm số tiền”."),
    )


class PledgeCorrectionForm(PledgeForm, _CorrectionReason):
    """A pledge's corrected values, pre-filled with the old ones, and why."""


class DonationCorrectionForm(DonationForm, _CorrectionReason):
    """A donation's corrected values, pre-filled with the old ones, and why."""


class ExpenseCorrectionForm(ExpenseForm, _CorrectionReason):
    """An expense's corrected values, pre-filled with the old ones, and why."""
