"""Form widgets tuned for large choice lists (issue 7)."""

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


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
            is_selected = option_value in selected
            options.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    mark_safe(" selected") if is_selected else "",
                    label,
                )
            )
            if is_selected and not self.allow_multiple_selected:
                selected = set()  # the first match only, as Django does
        return format_html(
            "<select{}>\n  {}\n</select>", flatatt(final_attrs), mark_safe("\n  ".join(options))
        )
