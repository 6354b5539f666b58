"""Ledger entries carry the date they count on: reports need not join entries to originals.

A report dates a reversal by the entry it corrects. Until now every report joined each entry
to its original to find that date (``COALESCE(original.received_on, received_on)``), which no
index can serve: 1 s per aggregate over 1,000,000 donations. ``counted_on`` stores it:

- a normal entry counts on its own date (a CHECK: ``counted_on = received_on``/``spent_on``);
- a reversal counts on its original's date (the reversal trigger now checks that too, next to
  "negates a normal entry of the same initiative": a CHECK cannot look at another row).

Existing rows are filled from those rules, then the column becomes NOT NULL, then the
period indexes are built (an index-only scan by date with what the reports sum).
"""

from django.db import migrations, models

LEDGER = {"campaigns_donation": "received_on", "campaigns_expense": "spent_on"}
MESSAGE = "ledger: a reversal must negate a normal entry of the same initiative"


def _postgresql(table, date_check):
    return [
        f"""
        CREATE OR REPLACE FUNCTION {table}_check_reversal() RETURNS trigger AS $$
        BEGIN
            IF NEW.reverses_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM {table} o
                WHERE o.id = NEW.reverses_id AND o.reverses_id IS NULL
                  AND o.amount = -NEW.amount AND o.initiative_id = NEW.initiative_id
                  {date_check}
            ) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        """,
        # Recreated in case a table rebuild dropped it.
        f"DROP TRIGGER IF EXISTS {table}_check_reversal ON {table}",
        f"""
        CREATE TRIGGER {table}_check_reversal BEFORE INSERT OR UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_check_reversal();
        """,
    ]


def _sqlite(table, date_check):
    statements = []
    for event in ("INSERT", "UPDATE"):
        name = f"{table}_check_reversal_{event.lower()}"
        statements += [
            # Django rebuilds a SQLite table to add a constraint, which drops its triggers.
            f"DROP TRIGGER IF EXISTS {name}",
            f"""
            CREATE TRIGGER {name} BEFORE {event} ON {table}
            FOR EACH ROW WHEN NEW.reverses_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM {table} o
                WHERE o.id = NEW.reverses_id AND o.reverses_id IS NULL
                  AND o.amount = -NEW.amount AND o.initiative_id = NEW.initiative_id
                  {date_check}
            )
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
            """,
        ]
    return statements


def fill_counted_on(apps, schema_editor):
    for table, date_column in LEDGER.items():
        schema_editor.execute(
            f"UPDATE {table} SET counted_on = {date_column} WHERE reverses_id IS NULL"
        )
        schema_editor.execute(
            f"UPDATE {table} SET counted_on = (SELECT o.{date_column} FROM {table} o "
            f"WHERE o.id = {table}.reverses_id) WHERE reverses_id IS NOT NULL"
        )


def _triggers(schema_editor, *, with_date: bool):
    build = {"postgresql": _postgresql, "sqlite": _sqlite}.get(schema_editor.connection.vendor)
    if build is None:  # another engine: the workflow's checks still apply
        return
    for table, date_column in LEDGER.items():
        date_check = f"AND o.{date_column} = NEW.counted_on" if with_date else ""
        for statement in build(table, date_check):
            schema_editor.execute(statement)


def replace_triggers(apps, schema_editor):
    _triggers(schema_editor, with_date=True)


def restore_triggers(apps, schema_editor):
    """Backwards: the triggers of migration 0001, which know nothing of counted_on."""
    _triggers(schema_editor, with_date=False)


def _counted_on(null):
    return models.DateField(
        editable=False,
        help_text=(
            "Ngày của khoản; với bút toán điều chỉnh là ngày của khoản được điều chỉnh: "
            "báo cáo tính bút toán vào kỳ của khoản đó."
        ),
        null=null,
        verbose_name="tính vào ngày",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_report_permission_groups"),
        ("registry", "0003_public_list_indexes"),
    ]

    operations = [
        migrations.AddField("donation", "counted_on", _counted_on(null=True)),
        migrations.AddField("expense", "counted_on", _counted_on(null=True)),
        migrations.RunPython(fill_counted_on, migrations.RunPython.noop, elidable=False),
        migrations.AlterField("donation", "counted_on", _counted_on(null=False)),
        migrations.AlterField("expense", "counted_on", _counted_on(null=False)),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reverses__isnull", False),
                    ("counted_on", models.F("received_on")),
                    _connector="OR",
                ),
                name="donation_counted_on_own_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="expense",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reverses__isnull", False),
                    ("counted_on", models.F("spent_on")),
                    _connector="OR",
                ),
                name="expense_counted_on_own_date",
            ),
        ),
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(
                fields=["counted_on", "initiative", "kind", "amount", "contributor", "quantity"],
                name="donation_counted_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="expense",
            index=models.Index(
                fields=["counted_on", "initiative", "amount"], name="expense_counted_idx"
            ),
        ),
        migrations.RunPython(replace_triggers, restore_triggers, elidable=False),
    ]
