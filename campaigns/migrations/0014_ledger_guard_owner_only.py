"""The ledger's maintenance switch counts only for its tables' owner (campaigns/append_only.py).

Re-creates the guard's PostgreSQL trigger function: before, any connection that set
``wardmodels.ledger_maintenance`` lifted the guard; now a role that may not act as the table's
owner is refused with the switch on. SQLite's guard is re-created unchanged.
"""

from django.db import migrations


def install(apps, schema_editor):
    from campaigns import append_only

    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0013_ledger_corrections_and_numbers_unique_unless_reversed"),
    ]

    # Going back keeps the stricter function: nothing before this migration needs the switch
    # to work for another role.
    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]
