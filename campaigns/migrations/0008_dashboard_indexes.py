"""Partial indexes for the workspace dashboard's sections at province scale.

Each one holds only the rows a section looks at, in the order it shows them, so the section
reads the few rows it shows instead of sorting (or summing donations for) all of them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_ledger_counted_on"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="commendation",
            index=models.Index(
                condition=models.Q(("status", "draft")),
                fields=["created_at", "id"],
                name="commendation_draft_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(
                condition=models.Q(("cancelled", False)),
                fields=["due_on", "id"],
                name="pledge_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="recognition",
            index=models.Index(
                condition=models.Q(("status", "proposed")),
                fields=["proposed_at", "id"],
                name="recognition_proposed_idx",
            ),
        ),
    ]
