"""What the two default groups may do with the contributions ledger (DOMAIN.md)."""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

LEDGER_MODELS = ["contributor", "pledge", "donation", "expense"]

OFFICIALS = [f"campaigns.view_{model}" for model in LEDGER_MODELS] + [
    "campaigns.add_contributor",
    "campaigns.change_contributor",
    "campaigns.change_pledge",
    "campaigns.record_pledge",
    "campaigns.cancel_pledge",
    "campaigns.record_donation",
    "campaigns.reverse_donation",
    "campaigns.record_expense",
    "campaigns.reverse_expense",
]

# The committee reads the ledger (addresses and phones included, in the admin only).
COMMITTEE = [f"campaigns.view_{model}" for model in LEDGER_MODELS]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)
    grant(apps, PARTY_COMMITTEE, COMMITTEE)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)
    revoke(apps, PARTY_COMMITTEE, COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_ledger"),
        ("registry", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
