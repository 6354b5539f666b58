"""The summary reports' permission, given to both groups.

Officials run and export the reports; the party committee reads them too.
"""

from django.db import migrations

from wardmodels.groups import PARTY_COMMITTEE, WARD_OFFICIALS, grant, revoke

PERMISSIONS = ["campaigns.view_report"]


def forwards(apps, schema_editor):
    grant(apps, WARD_OFFICIALS, PERMISSIONS)
    grant(apps, PARTY_COMMITTEE, PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, WARD_OFFICIALS, PERMISSIONS)
    revoke(apps, PARTY_COMMITTEE, PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0005_commendation_contributor'),
        ('registry', '0002_groups'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='campaign',
            options={'ordering': ['-starts_on', 'title'], 'permissions': [('view_report', 'Xem và xuất báo cáo sơ kết, tổng kết')], 'verbose_name': 'phong trào thi đua', 'verbose_name_plural': 'phong trào thi đua'},
        ),
        migrations.RunPython(forwards, backwards),
    ]
