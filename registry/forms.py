import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .images import process_photo
from .models import (
    Commitment,
    Indicator,
    Initiative,
    Milestone,
    MilestonePhoto,
    OversightActivity,
    Photo,
    ResidentialArea,
)
from .text import vietnamese_slugify


def today_by_default(field: forms.Field) -> forms.Field:
    """``field`` (a date of when something happened) offers today on a blank form: most
    entries are typed the day they happen. Today in the ward's time zone (``TIME_ZONE``),
    not the server's UTC day, and a callable, so a long-running process never offers
    yesterday. An edited row's own date (the form's ``initial``) still wins."""
    field.initial = timezone.localdate
    return field


class ReasonForm(forms.Form):
    """The reason a transition asks for (returning, discontinuing, reversing, rejecting)."""

    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class InitiativeForm(forms.ModelForm):
    """The fields an official edits; status and publication change only through workflow."""

    class Meta:
        model = Initiative
        fields = [
            "code",
            "kind",
            "subject",
            "title",
            "slug",
            "field",
            "lead_organization",
            "partner_organizations",
            "admin_unit",
            "residential_areas",
            "location",
            "summary",
            "description",
            "legal_basis",
            "started_on",
            "ended_on",
            "funding_target",
            "replicated_from",
            "adaptation_notes",
            "featured",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            if self.instance.pk and self.instance.slug_is_frozen:
                self.fields["slug"].disabled = True
                self.fields["slug"].help_text = _(
                    "Đường dẫn đã công khai nên không đổi được (mã QR đã in vẫn dùng được)."
                )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if self.instance.pk and self.instance.slug_is_frozen:
            return self.instance.slug
        if not slug:
            slug = vietnamese_slugify(self.cleaned_data.get("title") or "")
        if not slug:
            raise ValidationError(
                _("Không tạo được đường dẫn từ tên; hãy nhập đường dẫn."), code="slug_empty"
            )
        clash = Initiative.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("Đường dẫn “%(slug)s” đã được dùng cho mô hình khác."),
                code="slug_taken",
                params={"slug": slug},
            )
        return slug

    def clean_funding_target(self):
        value = self.cleaned_data.get("funding_target")
        if value is not None and value < 0:
            raise ValidationError(_("Kinh phí không thể âm."), code="negative")
        return value


class PhotoForm(forms.ModelForm):
    """A photo upload: the file is re-encoded and stripped before anything is stored."""

    class Meta:
        model = Photo
        fields = [
            "image",
            "alt_text",
            "caption",
            "credit",
            "taken_on",
            "order",
            "shows_identifiable_people",
            "people_consented",
        ]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image is not getattr(self.instance, "image", None) and hasattr(image, "read"):
            if getattr(image, "_committed", False):
                return image
            self._processed = process_photo(image)
            return self._processed.image
        return image

    def save(self, commit=True):
        photo = super().save(commit=False)
        processed = getattr(self, "_processed", None)
        if processed is not None:
            photo.image = processed.image
            photo.thumbnail = processed.thumbnail
            photo.preview = processed.preview
        if commit:
            photo.save()
        return photo


# ---------------------------------------------------------------------------------------------
# The workspace (/quan-ly/): one page edits an initiative with its indicators, commitments and
# photos; the edit carries the version it was loaded with so two officials cannot silently
# overwrite each other.


class EditConflict(ValidationError):
    """Someone saved the initiative after this form was loaded."""


MULTIPLE_SELECT_HINT = _("Giữ Ctrl (Cmd trên Mac) để chọn nhiều.")


class WorkspaceInitiativeForm(InitiativeForm):
    """InitiativeForm plus optimistic concurrency: ``version`` is ``updated_at`` at load time.

    On a conflict the form is invalid, says who saved and when, keeps every typed value, and
    moves ``version`` forward: saving again after reading the message overwrites on purpose.

    ``fieldsets`` is the page's order, in headed sections, as an official tells a model: what
    it is, where, what it does, who runs it, when, with how much money, where it was copied
    from. The short lists (a ward's organisations, the plans a model is based on) are
    checkboxes: no key to hold, and they work without JavaScript; the residential areas of a
    merged ward run to hundreds, so they stay a list box, with the hint how to pick several.
    """

    fieldsets = [
        (_("Mô hình là gì"), ["kind", "subject", "title", "code", "slug"]),
        (_("Ở đâu"), ["admin_unit", "residential_areas", "location"]),
        (_("Làm gì"), ["field", "summary", "description", "legal_basis"]),
        (_("Ai thực hiện"), ["lead_organization", "partner_organizations"]),
        (_("Khi nào"), ["started_on", "ended_on"]),
        (_("Kinh phí"), ["funding_target"]),
        (_("Nhân rộng từ mô hình khác"), ["replicated_from", "adaptation_notes"]),
        (_("Tiến độ"), ["progress_entered", "progress_reason"]),
        (_("Trang chủ"), ["featured"]),
    ]

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # The progress figure is not a model field of the form: registry.workflow's
    # initiative_results_update writes it, with the indicators, and drafts a milestone.
    progress_entered = forms.IntegerField(
        label=_("Tiến độ nhập tay (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_(
            "Để trống để tự tính từ các chỉ tiêu (kết quả so với mục tiêu, theo trọng số)."
        ),
    )
    progress_reason = forms.CharField(
        label=_("Lý do nếu tiến độ giảm"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi lần lưu này làm tiến độ thấp hơn trước."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("started_on", "ended_on"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in ("partner_organizations", "legal_basis"):
            field = self.fields[name]
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        self.fields["residential_areas"].help_text = MULTIPLE_SELECT_HINT
        self.fields["residential_areas"].widget.attrs["size"] = 8
        self.conflict = None
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()
            self.fields["progress_entered"].initial = self.instance.progress_entered

    def fieldset_list(self) -> list[tuple[str, list]]:
        """(heading, bound fields) in page order; a visible field no section names comes last,
        so a field added to the form is never silently left off the page."""
        named = {name for _heading, names in self.fieldsets for name in names}
        sections = [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in self.fieldsets
        ]
        rest = [f for f in self.visible_fields() if f.name not in named]
        if rest:
            sections.append((_("Thông tin khác"), rest))
        return sections

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("version") or "")
        return cleaned

    def _check_version(self, loaded: str) -> None:
        current = self.instance.updated_at
        try:
            loaded_at = dt.datetime.fromisoformat(loaded)
        except ValueError:
            loaded_at = None
        if loaded_at == current:
            return
        self.conflict = self.instance
        # The next save of this very page is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current.isoformat()
        who = self.instance.updated_by
        raise EditConflict(
            _(
                "%(who)s đã lưu mô hình này lúc %(time)s ngày %(date)s, sau khi bạn mở trang. "
                "Nội dung bạn nhập vẫn còn bên dưới nhưng CHƯA được lưu. Hãy xem lại lịch sử "
                "thay đổi; nếu vẫn muốn lưu nội dung của bạn, bấm “Lưu” lần nữa."
            ),
            code="edit_conflict",
            params={
                "who": (who.get_full_name() or who.get_username()) if who else _("Người khác"),
                "time": timezone.localtime(current).strftime("%H:%M"),
                "date": timezone.localtime(current).strftime("%d/%m/%Y"),
            },
        )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["label", "unit", "target", "actual", "weight", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty weight is the usual weight, 1: most models weigh their indicators alike.
        self.fields["weight"].required = False
        self.fields["weight"].min_value = 1
        self.fields["weight"].max_value = 100
        self.fields["weight"].widget.attrs.update({"min": 1, "max": 100})

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        return 1 if weight is None else weight

    def has_changed(self):
        # An extra row left empty posts an empty weight: that is no change from the usual 1.
        weight = self.add_prefix("weight")
        return any(
            name != "weight" or self.data.get(weight) not in ("", None)
            for name in self.changed_data
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("target", "actual"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, ValidationError(_("Số liệu không thể âm."), code="negative"))
        return cleaned


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "order"]


class WorkspacePhotoForm(PhotoForm):
    """PhotoForm (uploads cleaned by registry/images.py) with a date picker."""

    class Meta(PhotoForm.Meta):
        widgets = {
            **PhotoForm.Meta.widgets,
            "taken_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


def _same_text(value) -> str:
    """Two rows say the same when they differ only in case and spacing."""
    return " ".join(str(value or "").split()).casefold()


class NoRepeatedRowsFormSet(BaseInlineFormSet):
    """Refuses the same row twice: the repeated row is marked, a message on top.

    ``repeat_fields`` are compared (case and spacing aside); the first of them gets the
    error. Rows marked for deletion and empty rows do not count.
    """

    repeat_fields: tuple[str, ...] = ()
    repeat_message = ""

    def clean(self):
        super().clean()
        seen = {}
        repeated = []
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", None) or {}
            key = tuple(_same_text(data.get(name)) for name in self.repeat_fields)
            if not key[0]:
                continue
            if key in seen:
                first = self.repeat_fields[0]
                message = self.repeat_message % {"text": data.get(first), "row": seen[key]}
                form.add_error(first, ValidationError(message, code="repeated_row"))
                repeated.append(message)
            else:
                seen[key] = number
        if repeated:
            raise ValidationError(repeated, code="repeated_row")


class IndicatorBaseFormSet(NoRepeatedRowsFormSet):
    repeat_fields = ("label", "unit")
    repeat_message = _(
        "Chỉ tiêu “%(text)s” (cùng đơn vị tính) đã có ở dòng %(row)s: hãy gộp vào một dòng "
        "hoặc đánh dấu “Xoá” dòng thừa."
    )


class CommitmentBaseFormSet(NoRepeatedRowsFormSet):
    repeat_fields = ("text",)
    repeat_message = _(
        "Cam kết “%(text)s” đã có ở dòng %(row)s: hãy bỏ dòng thừa (đánh dấu “Xoá”)."
    )


IndicatorFormSet = inlineformset_factory(
    Initiative,
    Indicator,
    form=IndicatorForm,
    formset=IndicatorBaseFormSet,
    extra=2,
    can_delete=True,
)
CommitmentFormSet = inlineformset_factory(
    Initiative,
    Commitment,
    form=CommitmentForm,
    formset=CommitmentBaseFormSet,
    extra=2,
    can_delete=True,
)
PhotoFormSet = inlineformset_factory(
    Initiative, Photo, form=WorkspacePhotoForm, extra=2, can_delete=True
)

# (prefix, formset class, heading); the page shows them in this order.
INITIATIVE_FORMSETS = [
    ("indicators", IndicatorFormSet, _("Chỉ tiêu và kết quả")),
    ("commitments", CommitmentFormSet, _("Cam kết của hộ dân")),
    ("photos", PhotoFormSet, _("Hình ảnh")),
]


class OversightActivityForm(forms.ModelForm):
    class Meta:
        model = OversightActivity
        fields = ["kind", "happened_on", "note", "follow_up_due"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "follow_up_due": _("Để trống nếu không cần xử lý tiếp."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today_by_default(self.fields["happened_on"])

    def clean(self):
        cleaned = super().clean()
        happened_on, due = cleaned.get("happened_on"), cleaned.get("follow_up_due")
        if happened_on and due and due < happened_on:
            self.add_error(
                "follow_up_due",
                ValidationError(
                    _("Hạn xử lý tiếp phải từ ngày %(date)s trở đi."),
                    code="follow_up_before_activity",
                    params={"date": happened_on.strftime("%d/%m/%Y")},
                ),
            )
        return cleaned


class ResidentialAreaForm(forms.ModelForm):
    """A khu phố, tổ dân phố or cụm dân cư of a ward; the same name twice in one ward and kind
    is refused by the model's unique constraint (Django's own message, on the form)."""

    class Meta:
        model = ResidentialArea
        fields = ["kind", "name", "admin_unit"]
        help_texts = {
            "name": _("Chỉ tên, không kèm loại: “Hải Thượng”, không “Tổ dân phố Hải Thượng”.")
        }


# ---------------------------------------------------------------------------------------------
# The progress timeline: a milestone's text and figures, and its photos.


class MilestoneForm(forms.ModelForm):
    """What an official writes in a draft milestone; the workflow saves it."""

    class Meta:
        model = Milestone
        fields = [
            "title",
            "occurred_on",
            "body",
            "planned_on",
            "progress_before",
            "progress_after",
            "progress_reason",
            "status_before",
            "status_after",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 6}),
            "progress_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("progress_before", "progress_after"):
            field = self.fields[name]
            field.min_value, field.max_value = 0, 100
            field.widget.attrs.update({"min": 0, "max": 100})
            # The model field already refuses a negative number.
            field.validators.append(MaxValueValidator(100))
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        today_by_default(self.fields["occurred_on"])


class MilestonePhotoForm(forms.ModelForm):
    """A photo of a milestone: re-encoded and stripped by registry/images.py before storing."""

    class Meta:
        model = MilestonePhoto
        fields = [
            "image",
            "role",
            "alt_text",
            "caption",
            "order",
            "shows_identifiable_people",
            "people_consented",
        ]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image is not None and hasattr(image, "read"):
            self.processed = process_photo(image)
        return image

    def workflow_fields(self) -> dict:
        """The keyword arguments of ``workflow.milestone_photo_add`` (after ``is_valid``)."""
        data = dict(self.cleaned_data)
        data.pop("image")
        return {"image": self.processed, **data}
