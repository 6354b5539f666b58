"""Sums of money the way Vietnamese people type them: ``parse_vnd`` and the one money input.

Vietnamese groups thousands with dots (``2.000.000``) and marks decimals with a comma, while a
browser's number input and Python's ``int``/``Decimal`` read ``2.000.000`` as 2: sums were
silently cut by a million. Every form with an amount in đồng (the workspace's, the admin's,
a spreadsheet import) reads it through ``parse_vnd``, which accepts the usual spellings and
refuses anything it would have to guess at:

- accepted: ``2000000``, ``2.000.000``, ``2 000 000`` (also no-break and narrow spaces),
  each optionally followed by ``₫``, ``đ``, ``đồng``, ``VND`` or ``VNĐ``;
- refused: a comma (``2,5``: đồng has no decimals, ``2,000,000`` is read differently by
  different people), groups that are not of three digits (``2.000000``, ``2.00.000``),
  two kinds of separator in one figure, a minus sign where the field allows none, any other
  character (digits of other scripts included).

The value is a Python ``int``: never rounded, never truncated. ``MoneyField`` (a model field,
stored as ``BigIntegerField``) gives every ``ModelForm`` and admin page the form field
``MoneyFormField`` with the ``MoneyInput`` widget; plain forms use ``MoneyFormField``.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .formatting import number, vnd

# The largest value a BigIntegerField holds: above it the database would fail, not refuse.
BIGINT_MAX = 2**63 - 1
_MOST_DIGITS = 1000  # far past any ceiling, which the forms and workflow check with a message

# Spaces a keyboard, a spreadsheet or a copied web page puts between digit groups.
_SPACES = "\u0020\u00a0\u2007\u2009\u202f"
_UNIT = re.compile(r"\s*(₫|đ|đồng|vnd|vnđ)\.?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(?:([." + _SPACES + r"])[0-9]{3})(?:\1[0-9]{3})*", re.ASCII)
_DIGITS_AND_SEPARATORS = re.compile("[0-9." + _SPACES + "]+", re.ASCII)


class MoneyParseError(ValueError):
    """The text is not a sum of đồng that can be read without guessing; ``code`` says why."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def parse_vnd(text, *, allow_negative: bool = False) -> int | None:
    """``"2.000.000 ₫"`` → ``2000000``; ``""`` → ``None``; ambiguous text → ``MoneyParseError``.

    An ``int`` passes through (a form's initial value, a spreadsheet's numeric cell); a
    ``float`` is refused unless whole (a spreadsheet cell typed as a number).
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise MoneyParseError(_("Không đọc được số tiền."), code="money_invalid")
    if isinstance(text, int):
        value = text
    elif isinstance(text, float):
        if not text.is_integer():
            raise MoneyParseError(
                _("Số tiền phải là số nguyên đồng (đồng không có phần lẻ)."), code="money_decimal"
            )
        value = int(text)
    else:
        value = _parse_text(str(text))
        if value is None:
            return None
    if value < 0 and not allow_negative:
        raise MoneyParseError(_("Số tiền không thể âm."), code="money_negative")
    return value


def _parse_text(text: str) -> int | None:
    text = text.strip(_SPACES + "\t\r\n")
    if not text:
        return None
    text = _UNIT.sub("", text).strip(_SPACES)
    sign = 1
    if text[:1] in ("-", "\u2212"):
        sign = -1
        text = text[1:].lstrip(_SPACES)
    if not text:
        raise MoneyParseError(_("Không đọc được số tiền."), code="money_invalid")
    if "," in text:
        raise MoneyParseError(
            _(
                "Không dùng dấu phẩy trong số tiền: đồng không có phần lẻ, và nhóm "
                "hàng nghìn bằng dấu chấm, ví dụ 2.000.000."
            ),
            code="money_comma",
        )
    if _DIGITS.fullmatch(text) or _GROUPED.fullmatch(text):
        digits = re.sub(r"[^0-9]", "", text)
        # int() refuses more than 4,300 digits (ValueError); a sum that long is no sum.
        if len(digits) > _MOST_DIGITS:
            raise MoneyParseError(_("Số tiền có quá nhiều chữ số."), code="money_too_long")
        return sign * int(digits)
    if _DIGITS_AND_SEPARATORS.fullmatch(text):
        raise MoneyParseError(
            _(
                "Số tiền “%(text)s” nhóm chữ số không đúng: mỗi nhóm sau dấu chấm (hoặc dấu "
                "cách) phải đủ 3 chữ số, ví dụ 2.000.000 hoặc 2000000."
            )
            % {"text": text},
            code="money_grouping",
        )
    raise MoneyParseError(
        _("Số tiền chỉ gồm chữ số, dấu chấm nhóm hàng nghìn và ₫, ví dụ 2.000.000 ₫."),
        code="money_invalid",
    )


class MoneyInput(forms.TextInput):
    """A text input for đồng with the value it reads shown next to it ("= 2.000.000 ₫").

    The hint is rendered on the server from the value sent back, so that it shows after a
    round trip without JavaScript; static/js/money.js updates it while the user types.
    """

    def __init__(self, attrs=None):
        super().__init__(
            {
                "inputmode": "numeric",
                "autocomplete": "off",
                "class": "money-input",
                "data-money": "",
                "data-money-unclear": _("Chưa đọc được số tiền: xem hướng dẫn dưới ô."),
                **(attrs or {}),
            }
        )

    class Media:
        js = ["js/money.js"]

    def format_value(self, value):
        # A stored sum (an int) is shown grouped; what the user typed comes back exactly as
        # typed, with the sum it reads in the hint beside it.
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        final = dict(attrs or {})
        hint_id = f"{final.get('id') or 'id_' + name}_money"
        described = " ".join(filter(None, [self.attrs.get("aria-describedby"), hint_id]))
        final["aria-describedby"] = described
        html = super().render(name, value, final, renderer)
        try:
            parsed = parse_vnd(value, allow_negative=True)
        except MoneyParseError:
            parsed = None
        hint = "" if parsed is None else f"= {vnd(parsed)}"
        return mark_safe(
            html
            + format_html(
                ' <output class="money-hint" id="{}" for="{}" aria-live="polite">{}</output>',
                hint_id,
                final.get("id", ""),
                hint,
            )
        )


class MoneyFormField(forms.Field):
    """Whole đồng typed the Vietnamese way (see ``parse_vnd``); cleans to an ``int``."""

    widget = MoneyInput
    default_error_messages = {
        "min_value": _("Số tiền phải từ %(limit)s trở lên."),
        "max_value": _("Số tiền %(value)s lớn quá mức cho phép (%(limit)s)."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = BIGINT_MAX, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        kwargs.setdefault(
            "help_text",
            _("Đồng, số nguyên; gõ 2.000.000 hoặc 2000000 đều được."),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        allow_negative = self.min_value is None or self.min_value < 0
        try:
            return parse_vnd(value, allow_negative=allow_negative)
        except MoneyParseError as exc:
            raise ValidationError(exc.message, code=exc.code) from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": vnd(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"value": vnd(value), "limit": vnd(self.max_value)},
            )

    def has_changed(self, initial, data):
        try:
            return parse_vnd(initial, allow_negative=True) != parse_vnd(data, allow_negative=True)
        except MoneyParseError:
            return True


class MoneyField(models.BigIntegerField):
    """Whole đồng in an integer column; its form field is ``MoneyFormField`` everywhere.

    Stored exactly as a ``BigIntegerField`` (and deconstructed as one: no migration), so the
    only difference is the input every form and the admin get.
    """

    def formfield(self, **kwargs):
        # The admin passes its number widget for integer columns: the money input wins.
        widget = kwargs.pop("widget", None)
        if not (
            isinstance(widget, MoneyInput)
            or (isinstance(widget, type) and issubclass(widget, MoneyInput))
        ):
            widget = MoneyInput
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        defaults = {"form_class": MoneyFormField, "widget": widget}
        return models.Field.formfield(self, **{**defaults, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.BigIntegerField", args, kwargs
