"""Named queries of the campaigns app, one module per topic as the models are: ``ledger``,
``notices`` (the monthly public notice), ``reviews`` (rounds, evaluations, recognitions) and
``commendations``. The names are
re-exported here, so callers write ``from campaigns import queries``."""

from .commendations import (
    commendation_admin_queryset,
    commendation_dossier_state,
    public_commendations,
    workspace_commendations,
)
from .ledger import (
    CONTRIBUTOR_KIND_KEYS,
    QUANTITY,
    VALUED_KINDS,
    contributor_search,
    contributors_across_models,
    initiative_ledger_totals,
    ledger_overview,
    overdue_pledges,
    public_expenses,
    public_initiative_ledger,
    public_named_contributors,
    summed_quantity,
    workspace_ledger,
)
from .notices import (
    month_bounds,
    months_with_entries,
    months_with_entries_around,
    public_monthly_notice,
)
from .reviews import (
    evaluable_initiatives,
    has_public_recognition,
    public_decision_prefetches,
    public_recognitions,
    recognition_admin_queryset,
    review_rounds_overview,
    round_initiatives,
    round_scores,
    rounds_to_score,
    score_sheet,
)

__all__ = [
    "CONTRIBUTOR_KIND_KEYS",
    "QUANTITY",
    "VALUED_KINDS",
    "commendation_admin_queryset",
    "commendation_dossier_state",
    "contributor_search",
    "contributors_across_models",
    "evaluable_initiatives",
    "has_public_recognition",
    "initiative_ledger_totals",
    "ledger_overview",
    "month_bounds",
    "months_with_entries",
    "months_with_entries_around",
    "overdue_pledges",
    "public_commendations",
    "public_decision_prefetches",
    "public_expenses",
    "public_initiative_ledger",
    "public_monthly_notice",
    "public_named_contributors",
    "public_recognitions",
    "recognition_admin_queryset",
    "review_rounds_overview",
    "round_initiatives",
    "round_scores",
    "rounds_to_score",
    "score_sheet",
    "summed_quantity",
    "workspace_ledger",
    "workspace_commendations",
]
