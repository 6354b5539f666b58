"""Contributors' phones and addresses: for the officials who record the ledger, not for the
party committee, which reads the ledger (names and amounts) without them."""

from django.db import migrations

from wardmodels.groups import WARD_OFFICIALS, grant, revoke

OFFICIALS = ["campaigns.view_contributor_contact"]
COMMITTEE: list[str] = []  # the committee reads the ledger without contact details


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0015_contributor_contact_permission_and_folded_name"),
        ("registry", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
