"""Running totals of the ledger for the yearly summary, kept by the database itself.

A yearly summary over 1,000,000 donations cannot add up ~157,000 entries of the year, find
the ~96,000 distinct contributors among them and sum every cash entry since the beginning for
the balance within the summary's time budget (bench/README.md). These two small tables hold
those figures already added up:

- ``LedgerMonth``: one row per month and kind (a contribution kind, or ``expense``): amounts,
  labour-days/m², entries and standing entries, each twice: over public models (what the
  public summary counts) and over registered models (drafts excluded: what the workspace
  counts). 4 kinds + expenses × the months with entries: a few hundred rows.
- ``ContributorYear``: one row per contributor and year with their net total over public and
  over registered models, and the contributor's kind. A contributor counts in a year when
  that net is positive: every entry is positive and its reversal, which counts on the same
  date for the same model, cancels it exactly (see ``campaigns.reports``).

Nothing in Python writes them. Triggers installed by migration 0009 (``ledger_totals.py``
holds their SQL, for PostgreSQL and SQLite) add each donation and expense as it is inserted,
take it back if a row is ever deleted or changed, move a model's sums between "public" and
"registered" when its status or publication changes, and follow a contributor's kind. The
writes happen in the same transaction as the entry, so the totals are never behind: a report
read after a commit sees them. ``manage.py rebuild_ledger_totals`` recomputes both tables
from the ledger (after a restore, or to check them: ``--check``).

Reports use them only where they give the same figure as the entries themselves: no filter
on field, ward or lead organisation, and a period of whole months (whole years for the
contributors); anything else is summed from the entries (``campaigns.reports``).

The grain stays per month and kind. Kept per model instead (so that the filters and the
audience could apply by joining the model, one way for every report), they were measured on
the province data: 894,810 rows per model, month and kind for 1,005,056 donations, 999,983
per contributor, model and year; each model has about one entry per month and kind, so such
a table is the ledger again, and the public summary's money read from it took as long as
from the entries, many times its 150 ms target (bench/README.md, "The ledger totals' grain:
measured"; ``bench/measure_variants.py grain``). A grain by the filters themselves (field ×
ward × organisation × status × publication) is no smaller: 17,914 combinations for 20,000
models.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ContributorYear", "LedgerMonth", "EXPENSE_KIND"]

# ``LedgerMonth.kind`` of expenses (the other values are ``ContributionKind``'s).
EXPENSE_KIND = "expense"


class LedgerMonth(models.Model):
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    kind = models.CharField(_("loại"), max_length=16)
    public_amount = models.BigIntegerField(default=0)
    registered_amount = models.BigIntegerField(default=0)
    public_quantity = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    registered_quantity = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    # Rows, and normal entries less reversals (each reversal takes back one entry).
    public_rows = models.BigIntegerField(default=0)
    registered_rows = models.BigIntegerField(default=0)
    public_standing = models.BigIntegerField(default=0)
    registered_standing = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tổng sổ theo tháng")
        verbose_name_plural = _("tổng sổ theo tháng")
        constraints = [
            models.UniqueConstraint(fields=["month", "kind"], name="ledgermonth_month_kind")
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.kind}"


class ContributorYear(models.Model):
    # Plain columns, no foreign key: a derived table, emptied and refilled as a whole.
    contributor_id = models.BigIntegerField()
    year = models.IntegerField(_("năm"))
    kind = models.CharField(_("loại người đóng góp"), max_length=16)
    public_net = models.BigIntegerField(default=0)
    registered_net = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tổng đóng góp theo năm của người đóng góp")
        verbose_name_plural = _("tổng đóng góp theo năm của người đóng góp")
        constraints = [
            models.UniqueConstraint(
                fields=["contributor_id", "year"], name="contributoryear_contributor_year"
            )
        ]
        indexes = [
            # The yearly count by kind: an index-only scan of one year's rows.
            models.Index(
                fields=["year", "kind", "public_net", "registered_net"],
                name="contributoryear_year_idx",
            )
        ]

    def __str__(self):
        return f"{self.contributor_id} {self.year}"
