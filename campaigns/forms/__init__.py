"""Forms of the campaigns app, one module per topic as the models are: ``ledger``,
``reviews`` (the score sheet, recognitions and the admin's decision pages) and
``commendations``. The names are re-exported here (``from campaigns.forms import ...``)."""

from registry.forms import ReasonForm

from .commendations import (
    COMMENDATION_FORMS,
    CommendationProposalForm,
    DossierDocumentForm,
    IssueForm,
)
from .ledger import (
    ContributorForm,
    DonationCorrectionForm,
    DonationForm,
    ExpenseCorrectionForm,
    ExpenseForm,
    PledgeCorrectionForm,
    PledgeForm,
    ShortReasonForm,
)
from .reviews import (
    RECOGNITION_FORMS,
    DecisionForm,
    EmptyForm,
    EvaluationRowForm,
    RecognitionProposalForm,
)

__all__ = [
    "COMMENDATION_FORMS",
    "RECOGNITION_FORMS",
    "CommendationProposalForm",
    "ContributorForm",
    "DecisionForm",
    "DonationCorrectionForm",
    "DonationForm",
    "DossierDocumentForm",
    "EmptyForm",
    "EvaluationRowForm",
    "ExpenseCorrectionForm",
    "ExpenseForm",
    "IssueForm",
    "PledgeCorrectionForm",
    "PledgeForm",
    "ReasonForm",
    "RecognitionProposalForm",
    "ShortReasonForm",
]
