"""Who drafts and who publishes the progress timeline.

Ward officials draft milestones and add their photos. Publishing (and withdrawing) is
``registry.publish_milestone``: given to ward officials as well as to the party committee,
like ``publish_initiative`` (0002), because the officials already decide what residents see
of a model and answer for it, and the timeline is append-only: a mistake stays visible as a
correction or a withdrawal with its reason, never silently rewritten. A deployment that wants
a second pair of eyes revokes ``publish_milestone`` from ``ward_officials`` (code checks the
permission, never the group).
"""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

OFFICIALS = [
    "registry.view_milestone",
    "registry.add_milestone",
    "registry.change_milestone",
    "registry.publish_milestone",
    "registry.view_milestonephoto",
    "registry.add_milestonephoto",
    "registry.view_milestonetransition",
]

COMMITTEE = [
    "registry.view_milestone",
    "registry.publish_milestone",
    "registry.view_milestonephoto",
    "registry.view_milestonetransition",
]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, OFFICIALS)
    grant(apps, PARTY_COMMITTEE, COMMITTEE)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, OFFICIALS)
    revoke(apps, PARTY_COMMITTEE, COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_milestones"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
