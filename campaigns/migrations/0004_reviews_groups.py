"""What the two groups may do with campaigns, reviews, recognitions and commendations."""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

ALL = ["campaign", "reviewround", "criterion", "evaluation", "score", "recognition",
       "commendation", "dossierdocument", "reviewroundtransition", "recognitiontransition",
       "commendationtransition"]

OFFICIALS = (
    [f"campaigns.view_{model}" for model in ALL]
    + [f"campaigns.{verb}_{model}" for model in ("campaign", "reviewround", "criterion")
       for verb in ("add", "change")]
    + ["campaigns.delete_criterion"]
    + ["campaigns.add_recognition", "campaigns.change_recognition"]
    + ["campaigns.add_commendation", "campaigns.change_commendation"]
    + ["campaigns.add_dossierdocument", "campaigns.delete_dossierdocument"]
    + [
        "campaigns.close_reviewround",
        "campaigns.score_evaluation",
        "campaigns.propose_recognition",
        "campaigns.propose_commendation",
        "campaigns.issue_commendation",
    ]
)

COMMITTEE = [f"campaigns.view_{model}" for model in ALL] + [
    "campaigns.decide_recognition",
    "campaigns.publish_recognition",
    "campaigns.decide_commendation",
    "campaigns.issue_commendation",
]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)
    grant(apps, PARTY_COMMITTEE, COMMITTEE)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)
    revoke(apps, PARTY_COMMITTEE, COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_reviews"),
        ("registry", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
