"""Every state change of the campaigns app happens here (views, admin and commands call it).

One module per topic, as the models are: ``ledger`` (pledges, donations, expenses,
contributors), ``reviews`` (rounds, evaluations, recognitions) and ``commendations``
(commendations and their dossiers). The names are re-exported here, so callers write
``from campaigns import workflow`` and ``workflow.donation_reverse(...)``.

Each transition function is keyword-only and goes through ``registry.transitions``: it
checks the permission of ``by`` and the starting state against the entity's one table of
allowed transitions, locks the row it changes, saves with ``update_fields`` and writes a
``…Transition`` row plus a django-simple-history row carrying the reason.
"""

from registry.transitions import Step, WorkflowError, allowed_actions, check_permission

from .commendations import (
    COMMENDATION_ACTIONS,
    COMMENDATION_TRANSITIONS,
    DOSSIER_PERMISSION,
    DRAFT_FIELDS,
    commendation_create,
    commendation_decide,
    commendation_issue,
    commendation_reject,
    commendation_revoke,
    commendation_submit,
    commendation_update,
    dossier_attach,
    dossier_remove,
)
from .ledger import (
    CONTRIBUTOR_PERMISSION,
    LEDGER_PERMISSIONS,
    QUANTITY_REQUIRED,
    LedgerEntryError,
    check_amount,
    check_document_number,
    check_ledger_date,
    check_pledge,
    check_quantity,
    contributor_create,
    donation_record,
    donation_reverse,
    expense_record,
    expense_reverse,
    pledge_cancel,
    pledge_record,
    pledge_update,
)
from .reviews import (
    EVALUABLE_STATUSES,
    RECOGNITION_ACTIONS,
    RECOGNITION_PROPOSAL_FIELDS,
    RECOGNITION_TRANSITIONS,
    ROUND_TRANSITIONS,
    SCORE_PERMISSION,
    evaluation_save,
    recognition_approve,
    recognition_propose,
    recognition_publish,
    recognition_reject,
    recognition_update,
    round_close,
    round_reopen,
    weighted_total,
)

__all__ = [
    "COMMENDATION_ACTIONS",
    "COMMENDATION_TRANSITIONS",
    "CONTRIBUTOR_PERMISSION",
    "DOSSIER_PERMISSION",
    "DRAFT_FIELDS",
    "EVALUABLE_STATUSES",
    "LEDGER_PERMISSIONS",
    "QUANTITY_REQUIRED",
    "RECOGNITION_ACTIONS",
    "RECOGNITION_PROPOSAL_FIELDS",
    "RECOGNITION_TRANSITIONS",
    "ROUND_TRANSITIONS",
    "SCORE_PERMISSION",
    "LedgerEntryError",
    "Step",
    "WorkflowError",
    "allowed_actions",
    "check_amount",
    "check_document_number",
    "check_ledger_date",
    "check_pledge",
    "check_permission",
    "check_quantity",
    "commendation_create",
    "commendation_decide",
    "commendation_issue",
    "commendation_reject",
    "commendation_revoke",
    "commendation_submit",
    "commendation_update",
    "contributor_create",
    "donation_record",
    "donation_reverse",
    "dossier_attach",
    "dossier_remove",
    "evaluation_save",
    "expense_record",
    "expense_reverse",
    "pledge_cancel",
    "pledge_record",
    "pledge_update",
    "recognition_approve",
    "recognition_propose",
    "recognition_publish",
    "recognition_reject",
    "recognition_update",
    "round_close",
    "round_reopen",
    "weighted_total",
]
