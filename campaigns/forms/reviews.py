"""Forms of reviews and recognitions: the decision and reason pages, the score sheet's
row, the proposal of a recognition."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.forms import ReasonForm

from ..review_choices import RecognitionLevel, RecognitionTier, Recommendation


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


class EmptyForm(forms.Form):
    pass


# Which form each recognition transition needs, by action name.
RECOGNITION_FORMS = {"approve": DecisionForm, "reject": ReasonForm, "publish": EmptyForm}


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
