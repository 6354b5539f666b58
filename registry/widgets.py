"""Form widgets and choice fields tuned for large choice lists (issue 7)."""

from html import escape

from django import forms
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
        yield from self.field.label_rows(self.queryset.values_list(*self.field.row_columns))


class RowModelChoiceField(ModelChoiceField):
    """A ``ModelChoiceField`` whose options come from ``row_columns`` (the first is the
    value) through ``label_rows(rows) -> iterable of (value, label)``. Validation is
    Django's: a submitted value is looked up in the queryset."""

    iterator = RowChoiceIterator

    def __init__(self, *args, row_columns, label_rows, **kwargs):
        self.row_columns = row_columns
        self.label_rows = label_rows
        super().__init__(*args, **kwargs)
