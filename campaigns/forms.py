"""Small forms the admin's intermediate pages and the staff views share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dossiers import check_dossier_file
from .models import DossierDocument


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
