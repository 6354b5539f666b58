"""What every admin of the project shares: bad ids and values are refused, never a 500.

- ``ReadableAutocomplete``: Django's autocomplete widget looks the selected value up as it
  came (``?initiative=²`` on an add page, a posted form shown again with its errors) and the
  lookup raises ``ValueError`` on a value the key cannot read. The widget here drops such a
  value first: the form field already refuses it with its own message.
- ``ReadableDateHierarchy``: a change list's date hierarchy turns ``?started_on__year=`` into a
  date; Django refuses a year it cannot read (``ValueError``) but not one too large for an
  integer of C (``OverflowError``). Both are now the change list's "wrong filter" answer.
- ``HistoryAdmin``: django-simple-history's history page looks the object id up as it came;
  an id the primary key cannot read is a missing object (404).
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class _ReadableValues:
    """Shows only the selected values the related key can read."""

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.get_related_field()
        readable = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class ReadableAutocompleteSelect(_ReadableValues, widgets.AutocompleteSelect):
    pass


class ReadableAutocompleteSelectMultiple(_ReadableValues, widgets.AutocompleteSelectMultiple):
    pass


class ReadableAutocomplete:
    """For any ModelAdmin or inline: its ``autocomplete_fields`` use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ReadableAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class _ReadableDateChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class ReadableDateHierarchy:
    """For any ModelAdmin: a date hierarchy's year out of range is a wrong filter."""

    def get_changelist(self, request, **kwargs):
        return _ReadableDateChangeList


class ModelAdmin(ReadableAutocomplete, ReadableDateHierarchy, admin.ModelAdmin):
    pass


class HistoryAdmin(ReadableAutocomplete, ReadableDateHierarchy, SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)
