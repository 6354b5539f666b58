"""Form widgets and choice fields tuned for large choice lists.

Measured with and without each (bench/README.md, "Optimisations that replace Django's
machinery", bench/public_pages.py): Django's ``Select`` makes a list page 40–70 % slower,
Django's ``ModelChoiceIterator`` 40–75 %; compiling the options' query once saves 3.5 % of
a list page's Python calls.
"""

from html import escape

from django import forms
from django.db import connections
from django.forms.models import ModelChoiceIteratorValue
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


def _escape(text) -> str:
    """``conditional_escape`` without its per-call overhead: safe strings pass through."""
    return str(text) if hasattr(text, "__html__") else escape(str(text))


class LightSelect(forms.Select):
    """Django's ``Select`` markup, rendered in Python instead of one template per option.

    The public filters offer every residential area, ward and field of a province: hundreds
    of options on every list page, where Django's per-option template rendering cost more
    than the rest of the page together. Grouped choices fall back to Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = [*iter(self.choices)]  # list() would ask len() first: a COUNT(*) query
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in choices:
            if isinstance(option_value, ModelChoiceIteratorValue):
                option_value = option_value.value
            option_value = "" if option_value is None else str(option_value)
            if option_value in selected:
                options.append(
                    f'<option value="{_escape(option_value)}" selected>{_escape(label)}</option>'
                )
                if not self.allow_multiple_selected:
                    selected = set()  # the first match only, as Django does
            else:
                options.append(f'<option value="{_escape(option_value)}">{_escape(label)}</option>')
        body = "\n  ".join(options)
        return mark_safe(f"<select{flatatt(final_attrs)}>\n  {body}\n</select>")


class RowChoiceIterator(ModelChoiceIterator):
    """Options read with one ``values_list()`` query and labelled in Python.

    Django's iterator builds a model instance per option (through a server-side cursor on
    PostgreSQL: three round trips) and labels it with ``str()``, which for a residential
    area calls ``get_kind_display()``: most of a list page's time at province scale. Here the
    field's ``label_rows`` turns the rows into ``(pk, label)`` pairs, with the same labels.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        yield from self.field.label_rows(option_rows(self.queryset, self.field.row_columns))


# (database alias, model, columns) -> (sql, params) of an unfiltered values_list() query.
_OPTION_SQL: dict[tuple, tuple | None] = {}


def option_rows(queryset, columns):
    """``queryset.values_list(*columns)``, compiled to SQL once per process.

    Compiling the options' query cost more than PostgreSQL took to run it, three selects
    per list page (see bench/README.md). Only for a queryset the way it was
    declared, over every row of its model in its default order (no filter, ordering,
    annotation, slice, …: select_related does not change a values_list() query), and for
    columns without a conversion from the database's values (ids and text); any other
    queryset goes through the ORM as before.
    """
    query = queryset.query
    if (
        query.where
        or query.order_by
        or query.extra
        or query.extra_order_by
        or query.annotations
        or query.distinct
        or query.is_sliced
        or query.combinator
        or query.select_for_update
    ):
        return queryset.values_list(*columns)
    alias = queryset.db
    key = (alias, queryset.model, tuple(columns))
    compiled = _OPTION_SQL.get(key, False)
    if compiled is False:
        compiler = queryset.values_list(*columns).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([expr for expr, _sql, _alias in compiler.select])
        compiled = _OPTION_SQL[key] = None if converters else (sql, tuple(params))
    if compiled is None:
        return queryset.values_list(*columns)
    with connections[alias].cursor() as cursor:
        cursor.execute(*compiled)
        return cursor.fetchall()


class RowModelChoiceField(ModelChoiceField):
    """A ``ModelChoiceField`` whose options come from ``row_columns`` (the first is the
    value) through ``label_rows(rows) -> iterable of (value, label)``. Validation is
    Django's: a submitted value is looked up in the queryset."""

    iterator = RowChoiceIterator

    def __init__(self, *args, row_columns, label_rows, **kwargs):
        self.row_columns = row_columns
        self.label_rows = label_rows
        super().__init__(*args, **kwargs)
