from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.models import Initiative
from wardmodels.pagecache import public_pages_changed_on_commit

FIXTURES_DIR = Path(settings.SITE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the demo data from fixtures/ (the 2023 article about phường Trường Sơn). "
        "Idempotent: fixtures carry fixed primary keys, so a second run updates in place."
    )

    def handle(self, *args, **options):
        files = sorted(FIXTURES_DIR.glob("*.json"))
        with transaction.atomic():
            call_command("loaddata", *[str(f) for f in files], verbosity=options["verbosity"])
            rebuild_search_text()
            public_pages_changed_on_commit()  # cached public pages would show the old data
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded from {len(files)} file(s) in fixtures/.")
        )


def rebuild_search_text() -> int:
    """loaddata saves raw rows, bypassing Initiative.save(); fold their text afterwards."""
    initiatives = list(Initiative.objects.only("id", "code", "title", "summary", "location"))
    for initiative in initiatives:
        initiative.search_text = initiative.compute_search_text()
    Initiative.objects.bulk_update(initiatives, ["search_text"], batch_size=500)
    return len(initiatives)
