"""Forms of commendations: the draft, its dossier files, the transition pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.forms import ReasonForm

from ..dossiers import check_dossier_file
from ..models import Commendation, Contributor, DossierDocument
from ..queries import evaluable_initiatives
from .reviews import DecisionForm, EmptyForm


class IssueForm(forms.Form):
    issued_on = forms.DateField(
        label=_("Ngày trao"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Để trống: hôm nay."),
    )


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


# Which form each commendation transition needs, by action name.
COMMENDATION_FORMS = {
    "submit": EmptyForm,
    "decide": DecisionForm,
    "reject": ReasonForm,
    "issue": IssueForm,
    "revoke": ReasonForm,
}


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
        # The initiative field's own parsing: int() alone lets an id of 30 digits through to
        # a foreign-key lookup, which SQLite cannot bind (Django guards only a plain integer
        # field's lookups against overflow).
        try:
            initiative = self.fields["initiative"].clean(self["initiative"].value())
        except ValidationError:
            initiative = None
        self.fields["contributor"].queryset = (
            Contributor.objects.filter(
                Q(donations__initiative=initiative) | Q(pledges__initiative=initiative)
            ).distinct()
            if initiative
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
