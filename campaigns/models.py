# Campaigns, review rounds, the contributions ledger, recognitions and commendations
# arrive with their issues (see DOMAIN.md).
