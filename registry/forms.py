from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .images import process_photo
from .models import Initiative, Photo
from .text import vietnamese_slugify


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
        if commit:
            photo.save()
        return photo
