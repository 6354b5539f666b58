"""Ledger dates start in 2000: a mistyped year (0001-01-01) reached the open data as a month.

"Not after today" is checked by the workflow and the forms, not here: a CHECK must not depend
on the clock. SQLite rebuilds a table to add a CHECK, which drops its triggers: the
reversal checks, the append-only guard and the running totals are installed again after.
"""

import datetime
from importlib import import_module

from django.db import migrations, models


def reinstall_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL alters the table in place: its triggers stay
    from campaigns import append_only, ledger_totals

    import_module("campaigns.migrations.0007_ledger_counted_on").replace_triggers(
        apps, schema_editor
    )
    append_only.install(schema_editor.connection)
    ledger_totals.install(schema_editor.connection)


def drop_sqlite_totals_triggers(apps, schema_editor):
    """SQLite cannot rename a table that another table's trigger names (the totals' triggers
    on registry_initiative read the ledger): they go before the rebuild, back after it."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from campaigns import ledger_totals

    ledger_totals.uninstall(schema_editor.connection)


FIRST_DAY = datetime.date(2000, 1, 1)


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0011_transition_reason_label"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_totals_triggers, reinstall_triggers, elidable=False),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(("counted_on__gte", FIRST_DAY), ("received_on__gte", FIRST_DAY)),
                name="donation_date_from_2000",
            ),
        ),
        migrations.AddConstraint(
            model_name="expense",
            constraint=models.CheckConstraint(
                condition=models.Q(("counted_on__gte", FIRST_DAY), ("spent_on__gte", FIRST_DAY)),
                name="expense_date_from_2000",
            ),
        ),
        migrations.AddConstraint(
            model_name="pledge",
            constraint=models.CheckConstraint(
                condition=models.Q(("pledged_on__gte", FIRST_DAY)), name="pledge_date_from_2000"
            ),
        ),
        migrations.RunPython(reinstall_triggers, drop_sqlite_totals_triggers, elidable=False),
    ]
