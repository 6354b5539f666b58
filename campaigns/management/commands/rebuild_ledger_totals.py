"""Recompute the ledger's running totals (LedgerMonth, ContributorYear), or check them.

The database keeps them with triggers (campaigns/ledger_totals.py); this command is for a
restore that loaded rows with triggers off, or to verify: ``--check`` compares them with the
ledger and exits with an error listing every difference. It also re-installs the triggers,
the totals' and the append-only guard's (campaigns/append_only.py): a data-only restore with
triggers off, or a table rebuilt by hand, leaves none behind.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from campaigns import append_only, ledger_totals


class Command(BaseCommand):
    help = "Recompute (or --check) the ledger's running totals used by the reports."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare, change nothing.")

    def handle(self, *args, **opts):
        if opts["check"]:
            found = ledger_totals.differences(connection)
            if found:
                raise CommandError(
                    f"{len(found)} differences between the ledger and its totals:\n"
                    + "\n".join(found[:50])
                )
            self.stdout.write(self.style.SUCCESS("The ledger's totals match its entries."))
            return
        with transaction.atomic():
            append_only.install(connection)
            ledger_totals.install(connection)
            ledger_totals.rebuild(connection)
        self.stdout.write(self.style.SUCCESS("The ledger's totals were recomputed."))
