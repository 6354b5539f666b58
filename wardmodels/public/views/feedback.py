"""Residents' feedback: the forms (about a model, at its own address and on the model's
page, or about the ward in general), the choice of a model to write about, the private
tracking page, the rating, and /gop-y/: how to send feedback, then the published feedback
with the ward's answers.

The model's page, which the public-page cache stores, carries the form too: its CSRF token
and its "handed out at" stamp are made fresh on every hit (wardmodels/pagecache.py). The
forms, tracking and rating pages are never cached (POST, or a private token).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from participation import limits, workflow
from participation.choices import PUBLIC_STATUSES, FeedbackKind
from participation.forms import FeedbackForm, RatingForm
from participation.models import Feedback
from participation.queries import public_feedback
from registry.models import Initiative
from registry.queries import search_initiatives
from registry.text import search_terms
from registry.widgets import LightSelect
from registry.workflow import WorkflowError

from .. import qr
from ..filters import active_filters

PAGE_SIZE = 20
# A model's page shows its newest published items, then links to the list filtered on it:
# a busy model (hundreds of published items) would otherwise render every one of them.
MODEL_PAGE_FEEDBACK = 10
# The list's query parameter that picks one model (PublicFeedbackFilter's field name).
MODEL_PARAM = "model"


# The tracking token travels in the address only once: links given to the resident carry
# ``?t=…`` (they must work when opened anywhere), and their first visit moves the token into
# a cookie scoped to that item's path and redirects to the address without it, so that the
# token does not stay in the browser's history, in Referer headers or in access logs.
# One cookie per item (and scoped to its page): a resident who sent several keeps them all.
TOKEN_COOKIE = "feedback_token_{code}"
TOKEN_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie


def tracking_path(feedback: Feedback) -> str:
    return reverse("public:feedback-track", args=[feedback.code])


def tracking_url(feedback: Feedback, token: str) -> str:
    """The private link given to the resident (it opens the page in any browser)."""
    return tracking_path(feedback) + "?" + urlencode({"t": token})


def _remember_token(response, request, feedback: Feedback, token: str):
    response.set_cookie(
        TOKEN_COOKIE.format(code=feedback.code),
        token,
        max_age=TOKEN_COOKIE_MAX_AGE,
        path=tracking_path(feedback),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def _submit(request, initiative: Initiative | None):
    """GET: the form; POST: send it, then on to the private tracking page (POST, redirect,
    GET: its address carries no flag, so that a bookmark of it is the page itself). Any
    refusal gives the form back with the resident's text, an error summary and a clear
    message."""
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES)
        client = limits.client_hash(request)
        if form.is_valid():
            data = form.cleaned_data
            refused = limits.reserve_submission(client=client, phone=data["phone"])
            if refused:
                form.add_error(None, refused)
                status = 429
            else:
                try:
                    feedback, token = workflow.feedback_submit(
                        initiative=initiative,
                        kind=data["kind"],
                        text=data["text"],
                        name=data["name"],
                        show_name=data["show_name"],
                        phone=data["phone"],
                        contact_consent=data["contact_consent"],
                        photos=data["photos"],
                        client_hash=client,
                        form_stamp=data["form_started"],
                    )
                except WorkflowError as exc:
                    form.add_error(None, str(exc.message))
                    status = 400
                else:
                    messages.success(
                        request,
                        _("Cảm ơn bạn. Góp ý đã được gửi với mã %(code)s.")
                        % {"code": feedback.code},
                    )
                    response = redirect(tracking_path(feedback))
                    return _remember_token(response, request, feedback, token)
        else:
            status = 400
        form.renew_stamp()
    else:
        form = FeedbackForm()
    return render(
        request,
        "participation/feedback_submit.html",
        {"initiative": initiative, "feedback_form": form},
        status=status,
    )


@never_cache
def feedback_submit(request, slug):
    """The form about one public model (the "Gửi góp ý" action of its page and its poster)."""
    return _submit(request, get_object_or_404(Initiative.objects.public(), slug=slug))


@never_cache
def feedback_ward(request):
    """The form about the ward in general, about no model in particular."""
    return _submit(request, None)


# The choice of a model to write about shows this many matches; more: search more precisely.
START_MATCHES = 20


class ModelSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tên mô hình, đường phố hoặc khu dân cư"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ví dụ: hoa le loi")}),
    )


@require_GET
def feedback_start(request):
    """Start feedback: search a model without diacritics ("hoa le loi"), pick it, and go to
    its form; or write about the ward in general."""
    form = ModelSearchForm(request.GET or None)
    matches, more = [], False
    searching = form.is_valid() and bool(search_terms(form.cleaned_data["q"]))
    if searching:
        found = list(
            search_initiatives(Initiative.objects.public(), form.cleaned_data["q"])
            .order_by("title", "pk")
            .only("slug", "title", "code")[: START_MATCHES + 1]
        )
        matches, more = found[:START_MATCHES], len(found) > START_MATCHES
    return render(
        request,
        "participation/feedback_start.html",
        {"form": form, "searching": searching, "matches": matches, "more": more},
    )


def _tracked(code: str, token: str | None) -> Feedback | None:
    """The feedback whose code and token match, else ``None`` (a wrong token and an unknown
    code look the same)."""
    feedback = (
        Feedback.objects.select_related("initiative", "answer", "duplicate_of__initiative")
        .filter(code=code)
        .first()
    )
    if feedback is None or not workflow.token_matches(feedback, token):
        return None
    return feedback


def _not_found(request, code: str):
    """A wrong, cut or forgotten link: what the resident can do, instead of a bare 404. The
    published item of that code, if any, is linked (the public list shows its code anyway)."""
    published = Feedback.objects.public().filter(code=code).select_related("initiative").first()
    return render(
        request,
        "participation/feedback_not_found.html",
        {
            "code": code,
            "published_url": _public_item_url(published) if published else None,
        },
        status=404,
    )


def _public_item_url(feedback: Feedback) -> str:
    """Where residents read a published item: its model's list, or the whole list."""
    if feedback.initiative_id is None:
        return f"{reverse('public:feedback-list')}#{feedback.code}"
    return f"{feedback_list_url(feedback.initiative)}#{feedback.code}"


def _track_context(request, feedback: Feedback, token: str, rating_form) -> dict:
    private_link = request.build_absolute_uri(tracking_url(feedback, token))
    return {
        "feedback": feedback,
        "token": token,
        "private_link": private_link,
        "private_link_qr": qr.inline_svg(
            private_link, _("Mã QR của đường dẫn riêng để theo dõi góp ý")
        ),
        "rating_form": rating_form,
        "similar_url": _similar_url(feedback),
    }


def _similar_url(feedback: Feedback) -> str | None:
    """The public page of the item a copy repeats, if residents can see it; the sender of the
    copy cannot open the item itself, so its code alone would tell them nothing."""
    original = feedback.duplicate_of
    if original is None or not Feedback.objects.public().filter(pk=original.pk).exists():
        return None
    return _public_item_url(original)


@never_cache
@require_GET
def feedback_track(request, code):
    """The resident's private page of one item: opened by its link (``?t=…``, moved into a
    cookie and dropped from the address at once) or by that cookie. It always shows the
    private link again (text to copy, a QR code), for another phone or a later day."""
    if "t" in request.GET:
        feedback = _tracked(code, request.GET["t"])
        if feedback is None:
            return _not_found(request, code)
        rest = request.GET.copy()
        del rest["t"]
        rest.pop("gui", None)  # the flag older links carried: the page needs none
        target = tracking_path(feedback) + (f"?{rest.urlencode()}" if rest else "")
        return _remember_token(redirect(target), request, feedback, request.GET["t"])
    token = request.COOKIES.get(TOKEN_COOKIE.format(code=code))
    feedback = _tracked(code, token)
    if feedback is None:
        return _not_found(request, code)
    context = _track_context(request, feedback, token, RatingForm(initial={"t": token}))
    context["can_rate"] = feedback.status in ("answered", "closed") and feedback.rating is None
    return render(request, "participation/feedback_track.html", context)


@never_cache
@require_POST
def feedback_rate(request, code):
    form = RatingForm(request.POST)
    token = request.POST.get("t") or request.COOKIES.get(TOKEN_COOKIE.format(code=code))
    feedback = _tracked(code, token)
    if feedback is None:
        return _not_found(request, code)
    if form.is_valid():
        try:
            workflow.feedback_rate(
                feedback=feedback, token=token, rating=form.cleaned_data["rating"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc.message))
        else:
            return _remember_token(redirect(tracking_path(feedback)), request, feedback, token)
    context = _track_context(request, feedback, token, form)
    context["can_rate"] = feedback.rating is None
    return render(request, "participation/feedback_track.html", context, status=400)


class PublicFeedbackFilter(forms.Form):
    # Every model with published feedback: hundreds at province scale, so rendered in Python.
    model = forms.ChoiceField(label=_("Mô hình"), required=False, widget=LightSelect)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + FeedbackKind.choices
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    answered = forms.ChoiceField(
        label=_("Trả lời"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đã trả lời")), ("0", _("Chưa trả lời"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the models that have published feedback: the list stays short at any scale.
        models = (
            Initiative.objects.public()
            .filter(pk__in=Feedback.objects.public().values("initiative"))
            .order_by("title")
            .values_list("slug", "title")
        )
        self.fields["model"].choices = [("", _("Tất cả"))] + list(models)
        labels = dict(Feedback._meta.get_field("status").choices)
        self.fields["status"].choices = [("", _("Tất cả"))] + [
            (status.value, labels[status.value]) for status in PUBLIC_STATUSES
        ]


@require_GET
def feedback_list(request):
    form = PublicFeedbackFilter(request.GET or None)
    items = public_feedback()
    if form.is_bound:
        if not form.is_valid():
            raise Http404(_("Bộ lọc không hợp lệ."))
        data = form.cleaned_data
        if data["model"]:
            items = items.filter(initiative__slug=data["model"])
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["status"]:
            items = items.filter(status=data["status"])
        if data["answered"] == "1":
            items = items.filter(status__in=("answered", "closed"))
        elif data["answered"] == "0":
            items = items.exclude(status__in=("answered", "closed"))
    try:
        page_obj = Paginator(items, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
    return render(
        request,
        "participation/feedback_list.html",
        {
            "form": form,
            "active_filters": active_filters(form, skip=()),
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "due_days": settings.FEEDBACK_DUE_WORKING_DAYS,
        },
    )


def feedback_list_url(initiative: Initiative) -> str:
    """The public list of ``initiative``'s published feedback."""
    return reverse("public:feedback-list") + "?" + urlencode({MODEL_PARAM: initiative.slug})


def model_page_context(initiative: Initiative) -> dict:
    """What the model's page shows of feedback: the form and the newest published items
    (at most MODEL_PAGE_FEEDBACK; one more is read to know whether there are others), and
    the link to all of them."""
    items = list(public_feedback().filter(initiative=initiative)[: MODEL_PAGE_FEEDBACK + 1])
    return {
        "feedback_form": FeedbackForm(),
        "feedback_items": items[:MODEL_PAGE_FEEDBACK],
        "feedback_more": len(items) > MODEL_PAGE_FEEDBACK,
        "feedback_list_url": feedback_list_url(initiative),
        "feedback_min_seconds": settings.FEEDBACK_MIN_SECONDS,
    }
