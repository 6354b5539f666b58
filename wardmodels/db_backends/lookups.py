"""``__in`` on an integer column drops the numbers the column cannot hold.

Django guards ``exact``/``gt``/``gte``/``lt``/``lte`` on integer fields against a value
outside the column's range (``IntegerFieldOverflow``: no match, no query), but not ``in``.
On SQLite the driver then refuses to bind a number beyond 64 bits (``OverflowError``: a 500)
wherever Django filters ``pk__in`` on what a user sent: ``ModelMultipleChoiceField`` (the
admin's groups and permissions, any multiple choice of rows), the admin's autocomplete widget,
``?id__in=`` in a change list. Such a number can match no row on any database, so dropping it
from the list keeps the query's meaning (an empty list already means "nothing", as in Django).
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
