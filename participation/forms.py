"""The residents' feedback form and the officials' forms for answering and publishing it."""

import re
import unicodedata
from html import unescape

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from registry.images import process_photo
from wardmodels import formclock

from .choices import FeedbackKind
from .models import Feedback
from .workflow import STAMP_USED_MESSAGE

TEXT_MIN = 20
TEXT_MAX = 2000
MAX_PHOTOS = 3
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Vietnamese numbers: 0 + 9 digits (mobile and new landlines), or +84 / 84 + 9 digits.
_PHONE = re.compile(r"^(?:\+?84|0)(\d{9})$")


def plain_text(value: str) -> str:
    """Tags removed, entities decoded, spaces tidied (line breaks kept), in the composed
    Unicode spelling (NFC) whatever the keyboard or the pasted document used."""
    text = unicodedata.normalize("NFC", unescape(strip_tags(value or "")))
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def normalise_phone(value: str) -> str:
    """``0912 345 678``, ``+84 912.345.678`` → ``0912345678``; ValidationError otherwise."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    match = _PHONE.match(digits)
    if not match:
        raise ValidationError(
            _("Số điện thoại chưa đúng: 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678)."),
            code="phone",
        )
    return "0" + match.group(1)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Chỉ gửi được tối đa %(max)s ảnh.") % {"max": MAX_PHOTOS}, code="too_many"
            )
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class FeedbackForm(forms.Form):
    """A resident's feedback; no account. The hidden ``form_started`` stamp and the
    ``website`` honeypot (hidden from people, filled in by bots) catch the simplest robots."""

    kind = forms.ChoiceField(
        label=_("Loại"), choices=FeedbackKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
        help_text=_("Từ 20 đến 2.000 ký tự, văn bản thường, tối đa một đường liên kết."),
    )
    photos = MultiplePhotoField(
        label=_("Ảnh (tối đa 3 ảnh JPEG, PNG, WebP)"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    name = forms.CharField(label=_("Họ tên (không bắt buộc)"), max_length=120, required=False)
    show_name = forms.BooleanField(
        label=_("Hiển thị tên tôi khi góp ý được công khai"), required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại (không bắt buộc, không công khai)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_consent = forms.BooleanField(
        label=_("Tôi đồng ý để cán bộ phường liên hệ qua số điện thoại này"), required=False
    )
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[formclock.FIELD_NAME] = formclock.stamp()

    def clean_text(self):
        text = plain_text(self.cleaned_data["text"])
        if len(text) < TEXT_MIN:
            raise ValidationError(
                _("Nội dung quá ngắn: cần ít nhất %(min)s ký tự (hiện có %(count)s).")
                % {"min": TEXT_MIN, "count": len(text)},
                code="too_short",
            )
        if len(text) > TEXT_MAX:
            raise ValidationError(
                _("Nội dung quá dài: tối đa %(max)s ký tự (hiện có %(count)s).")
                % {"max": f"{TEXT_MAX:,}".replace(",", "."), "count": len(text)},
                code="too_long",
            )
        if len(_LINK.findall(text)) > 1:
            raise ValidationError(
                _("Nội dung chỉ được có tối đa một đường liên kết."), code="too_many_links"
            )
        return text

    def clean_name(self):
        return plain_text(self.cleaned_data["name"])

    def clean_phone(self):
        phone = (self.cleaned_data["phone"] or "").strip()
        return normalise_phone(phone) if phone else ""

    def clean_photos(self):
        return [process_photo(upload) for upload in self.cleaned_data["photos"]]

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(
                _("Không gửi được góp ý. Xin để trống ô cuối cùng rồi gửi lại."), code="honeypot"
            )
        return ""

    def clean_form_started(self):
        """The stamp, if it is genuine, at most ``FEEDBACK_FORM_MAX_HOURS`` old, not sent
        sooner than ``FEEDBACK_MIN_SECONDS`` and never used before (the workflow stores its
        digest, under a unique constraint)."""
        value = self.cleaned_data["form_started"]
        elapsed = formclock.seconds_since(value)
        if elapsed is None:
            raise ValidationError(
                _("Trang đã mở quá lâu hoặc không hợp lệ. Xin kiểm tra nội dung rồi gửi lại."),
                code="stale_form",
            )
        if elapsed < settings.FEEDBACK_MIN_SECONDS:
            raise ValidationError(
                _("Bạn gửi quá nhanh. Xin đọc lại nội dung rồi bấm gửi lần nữa."),
                code="too_fast",
            )
        if Feedback.objects.filter(form_stamp_hash=formclock.digest(value)).exists():
            raise ValidationError(STAMP_USED_MESSAGE, code="stamp_used")
        return value

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("contact_consent")
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Cần số điện thoại nếu bạn đồng ý để phường liên hệ."))
        if cleaned.get("show_name") and not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", _("Cần họ tên nếu bạn muốn hiển thị tên."))
        return cleaned

    def renew_stamp(self):
        """After a refusal the form comes back: the resident's time starts again."""
        data = self.data.copy()
        data[formclock.FIELD_NAME] = formclock.stamp()
        self.data = data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Câu trả lời có hữu ích không?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    # The token, when the page was opened without the cookie (the view reads the cookie).
    t = forms.CharField(widget=forms.HiddenInput, required=False)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Câu trả lời"), widget=forms.Textarea(attrs={"rows": 6}))

    def clean_text(self):
        return plain_text(self.cleaned_data["text"])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do không công khai"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DuplicateForm(forms.Form):
    original = forms.CharField(label=_("Mã góp ý gốc"), max_length=20)

    def __init__(self, *args, feedback: Feedback | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feedback = feedback

    def clean_original(self):
        code = self.cleaned_data["original"].strip().upper()
        original = Feedback.objects.filter(code=code).first()
        if original is None:
            raise ValidationError(_("Không có góp ý mã %(code)s.") % {"code": code}, code="unknown")
        return original


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Người phụ trách"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        perm = Q(
            groups__permissions__codename="answer_feedback",
            groups__permissions__content_type__app_label="participation",
        ) | Q(
            user_permissions__codename="answer_feedback",
            user_permissions__content_type__app_label="participation",
        )
        self.fields["assignee"].queryset = (
            User.objects.filter(is_active=True)
            .filter(perm | Q(is_superuser=True))
            .distinct()
            .order_by("username")
        )


class PublishForm(forms.Form):
    """Its fields are ``workflow.feedback_publish``'s parameters; the workspace and the admin
    start it from ``redaction.redact_feedback`` (the resident's text, masked)."""

    public_text = forms.CharField(
        label=_("Nội dung công khai"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Bắt đầu từ nội dung của người dân đã che tự động những phần giống thông tin cá "
            "nhân ([đã che]). Đọc lại và che thêm tên người khác, địa chỉ… nếu còn. Nội dung "
            "gốc của người dân không bị sửa."
        ),
    )
    personal_data_checked = forms.BooleanField(
        label=_("Tôi đã kiểm tra: đây không phải thông tin cá nhân"),
        required=False,
        help_text=_(
            "Chỉ đánh dấu khi phần bộ lọc báo là thông tin cá nhân thực ra không phải (ví dụ "
            "số hiệu văn bản). Xác nhận này được ghi vào lịch sử xử lý cùng tên bạn."
        ),
    )

    def clean_public_text(self):
        return plain_text(self.cleaned_data["public_text"])
