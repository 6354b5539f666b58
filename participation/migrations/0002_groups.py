"""What the two default groups may do with residents' feedback."""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

# Officials take in, answer and publish feedback and may call the residents who asked to be
# contacted; the committee reads everything but the contact details.
OFFICIALS = [
    "participation.view_feedback",
    "participation.view_feedback_contact",
    "participation.answer_feedback",
    "participation.publish_feedback",
]
COMMITTEE = ["participation.view_feedback"]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)
    grant(apps, PARTY_COMMITTEE, COMMITTEE)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)
    revoke(apps, PARTY_COMMITTEE, COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("registry", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
