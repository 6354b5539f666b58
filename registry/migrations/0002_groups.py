"""The default groups and what they may do in the registry (DOMAIN.md, "Three kinds of people")."""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

EDITED_BY_OFFICIALS = ["initiative", "indicator", "commitment", "photo", "oversightactivity",
                       "organization", "residentialarea", "legaldocument"]
READ_ONLY = ["adminunit", "field", "initiativetransition"]

OFFICIALS = (
    [f"registry.{verb}_{model}" for model in EDITED_BY_OFFICIALS for verb in ("view", "add", "change")]
    + [f"registry.delete_{model}" for model in ("indicator", "commitment", "photo")]
    + [f"registry.view_{model}" for model in READ_ONLY]
    + [
        "registry.submit_initiative",
        "registry.complete_initiative",
        "registry.publish_initiative",
    ]
)

COMMITTEE = [f"registry.view_{model}" for model in EDITED_BY_OFFICIALS + READ_ONLY] + [
    "registry.approve_initiative",
    "registry.discontinue_initiative",
    "registry.publish_initiative",
]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)
    grant(apps, PARTY_COMMITTEE, COMMITTEE)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)
    revoke(apps, PARTY_COMMITTEE, COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
