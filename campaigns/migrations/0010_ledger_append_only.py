"""The database refuses to change or delete ledger entries (campaigns/append_only.py).

Until now only the models refused; a raw UPDATE or DELETE went through. ``recorded_by``
becomes PROTECT: deleting a user who recorded entries would have to rewrite them (SET NULL),
which the guard refuses; deactivate the account instead.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install(apps, schema_editor):
    from campaigns import append_only

    append_only.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from campaigns import append_only

    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0009_ledger_totals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="donation",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người ghi",
            ),
        ),
        migrations.AlterField(
            model_name="expense",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người ghi",
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
