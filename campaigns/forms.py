"""Small forms the admin's intermediate pages and the staff views share."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .dossiers import check_dossier_file
from .models import Commendation, ContributionKind, Contributor, DossierDocument, Pledge
from .queries import evaluable_initiatives
from .review_choices import RecognitionLevel, RecognitionTier, Recommendation


class DecisionForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=60,
        help_text=_("Ví dụ: 123/QĐ-UBND hoặc 45-QĐ/ĐU."),
    )
    decided_on = forms.DateField(
        label=_("Ngày quyết định"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày trao"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Để trống: hôm nay."),
    )


class EmptyForm(forms.Form):
    pass


class DossierDocumentForm(forms.ModelForm):
    """Checks the file by its content as soon as it is chosen (the workflow checks again)."""

    class Meta:
        model = DossierDocument
        fields = ["kind", "file"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded is not None and not getattr(uploaded, "_committed", False):
            check_dossier_file(uploaded)
            uploaded.seek(0)
        return uploaded


# Which form each transition needs, by action name.
RECOGNITION_FORMS = {"approve": DecisionForm, "reject": ReasonForm, "publish": EmptyForm}
COMMENDATION_FORMS = {
    "submit": EmptyForm,
    "decide": DecisionForm,
    "reject": ReasonForm,
    "issue": IssueForm,
    "revoke": ReasonForm,
}


# --- Workspace (/quan-ly/) forms ---------------------------------------------------------
#
# They check the shape of the input (numbers, dates, choices); the rules (positive amounts,
# unique receipt numbers, dates not in the future, ...) are checked by campaigns.workflow,
# whose ``LedgerEntryError.field`` names the field an error belongs to.

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        help_text=help_text,
    )


def _money_field(label):
    return forms.IntegerField(
        label=label,
        help_text=_("Đồng, số nguyên, không dấu chấm."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


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


class _ForContributorForm(forms.Form):
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
    due_on = _date_field(_("Hạn đóng góp"), required=False)
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


class ExpenseForm(forms.Form):
    description = forms.CharField(label=_("Nội dung chi"), max_length=300)
    amount = _money_field(_("Số tiền (đồng)"))
    spent_on = _date_field(_("Ngày chi"))
    voucher_number = forms.CharField(label=_("Số chứng từ"), max_length=40)


class ShortReasonForm(forms.Form):
    """The reason of a cancellation or reversal, one line in a table row."""

    reason = forms.CharField(label=_("Lý do"), max_length=2000)


class EvaluationRowForm(forms.Form):
    """One row of a score sheet: a score per criterion, a recommendation and a comment.

    Its inputs sit in the cells of a table row and belong to the row's ``<form>`` through
    the HTML ``form`` attribute (``form_id``), so the page works without JavaScript.
    """

    def __init__(self, *args, criteria, initiative, **kwargs):
        kwargs.setdefault("auto_id", f"id_m{initiative.pk}_%s")
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.form_id = f"score-form-{initiative.pk}"
        common = {"form": self.form_id}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=criterion.label,
                min_value=0,
                max_value=criterion.max_score,
                max_digits=6,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={
                        **common,
                        "step": "0.01",
                        "min": "0",
                        "max": criterion.max_score.normalize(),
                        "aria-label": f"{criterion.label} – {initiative.title}",
                        "class": "score-input",
                    }
                ),
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Kiến nghị"),
            choices=[("", "—"), *Recommendation.choices],
            widget=forms.Select(attrs={**common, "aria-label": _("Kiến nghị")}),
        )
        self.fields["comment"] = forms.CharField(
            label=_("Nhận xét"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={**common, "rows": 2, "aria-label": _("Nhận xét")}),
        )

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}

    @classmethod
    def initial_for(cls, evaluation) -> dict:
        if evaluation is None:
            return {}
        initial = {f"score_{s.criterion_id}": s.value for s in evaluation.scores.all()}
        initial.update(recommendation=evaluation.recommendation, comment=evaluation.comment)
        return initial


class RecognitionProposalForm(forms.Form):
    level = forms.ChoiceField(label=_("Cấp công nhận"))
    tier = forms.ChoiceField(label=_("Mức"))
    proposal = forms.CharField(
        label=_("Nội dung đề nghị"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = RecognitionLevel.choices
        self.fields["level"].initial = RecognitionLevel.WARD_PARTY_COMMITTEE
        self.fields["tier"].choices = RecognitionTier.choices
        self.fields["tier"].initial = RecognitionTier.RECOGNISED


class CommendationProposalForm(forms.ModelForm):
    """A new commendation (a draft); ``contributor`` lists the chosen model's contributors."""

    class Meta:
        model = Commendation
        fields = [
            "initiative",
            "review_round",
            "recipient_kind",
            "recipient_name",
            "contributor",
            "form",
            "reason",
            "prize_amount",
            "signer_name",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = evaluable_initiatives().order_by("title")
        initiative_id = self["initiative"].value()
        try:
            initiative_id = int(initiative_id)
        except (TypeError, ValueError):
            initiative_id = None
        self.fields["contributor"].queryset = (
            Contributor.objects.filter(
                Q(donations__initiative_id=initiative_id) | Q(pledges__initiative_id=initiative_id)
            ).distinct()
            if initiative_id
            else Contributor.objects.none()
        )
        self.fields["contributor"].help_text = _(
            "Khi khen thưởng một hộ, doanh nghiệp đã đóng góp cho mô hình: chọn trong danh sách "
            "người đóng góp của mô hình (chọn mô hình trước)."
        )

    def clean_prize_amount(self):
        value = self.cleaned_data.get("prize_amount")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Tiền thưởng không thể âm."), code="negative")
        return value
