"""Indexes for the workspace at province scale.

- ``initiative_updated_idx``: the workspace model list's order (last changed first), so that a
  page of 25 is read from the index instead of sorting every initiative.
- ``initiative_implementing_idx``: the dashboard's "models under way without photos", by
  title: walked in order, it stops after the few the section shows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_public_figures_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                models.OrderBy(models.F("updated_at"), descending=True),
                models.F("id"),
                name="initiative_updated_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                condition=models.Q(("status", "implementing")),
                fields=["title", "id"],
                name="initiative_implementing_idx",
            ),
        ),
    ]
