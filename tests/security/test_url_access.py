"""Every URL of the project, walked from the resolver, against a table of what it should do.

A URL pattern that is not in ``EXPECTED`` fails ``test_every_url_pattern_is_in_the_table``
with its name: adding a page means adding ONE line to the table below, saying who may see it.

Behaviours checked for each entry, as they apply:

- anonymous GET: a public page answers 200 with its content; anything else redirects to login;
- a logged-in user without the permission gets 403, a user with it gets the page;
- a user holding every permission but one the entry names (a workspace user otherwise) gets 403,
  for each permission named: a view checking the wrong permission fails here;
- a POST-only action done by a user with just the named permissions answers as designed and
  makes the change it names (``done``): the row is created or the object's state moved;
- an object in the wrong state (a draft initiative's public page) is 404;
- GET on a state-changing (POST-only) URL is 405 and no table of the database changes;
- a POST without a CSRF token (client enforcing CSRF) is 403 with the site's CSRF page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve, reverse

from registry.choices import InitiativeStatus
from tests import factories
from tests.urls_walk import project_url_names

PUBLIC = "public"  # anyone, no account
LOGIN = "login"  # any logged-in account
# Anything else in `access` is a permission, "app_label.codename", or several joined by "+".
WORKSPACE = "registry.view_initiative"  # the permission that opens /quan-ly/


def ws(*permissions: str) -> str:
    """Workspace access plus the page's own permissions."""
    return "+".join([WORKSPACE, *permissions])


@dataclass(frozen=True)
class Posted:
    """A permitted user's POST to an action, handed to the entry's ``done`` check."""

    client: Client
    user: object
    kwargs: dict
    data: dict
    response: HttpResponse

    def assert_redirects_to(self, url: str) -> None:
        assert self.response.status_code == 302, self.response.status_code
        assert self.response["Location"] == url, self.response["Location"]


def no_data(kwargs: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Expect:
    """What one URL name should do. Builders may create rows; ``post_data`` gets the URL kwargs."""

    access: str
    post_only: bool = False  # a state change: @require_POST, GET is 405
    kwargs: Callable[[], dict] = dict  # sample URL kwargs for a page that exists
    wrong_state: Callable[[], dict] | None = None  # URL kwargs that must be 404
    contains: str | None = None  # text the page shows when it answers 200
    accepts_post: bool = False  # a form page that also accepts POST (login, edit forms)
    post_access: str | None = None  # what a POST to a form page needs, if more than its GET
    post_data: Callable[[dict], dict] = no_data  # valid data for the POST
    done: Callable[[Posted], None] | None = None  # an action: asserts the change it made
    status: int = 200  # what a permitted GET answers (a redirect for /favicon.ico)

    @property
    def access_for_post(self) -> str:
        return self.post_access or self.access


def page(access=PUBLIC, **options) -> Expect:
    return Expect(access, **options)


def action(access=LOGIN, **options) -> Expect:
    return Expect(access, post_only=True, **options)


# --- sample objects ---------------------------------------------------------------------------


def public_initiative() -> dict:
    return {"slug": factories.make_initiative("Đường hoa Lê Lợi").slug}


def draft_initiative() -> dict:
    return {"slug": factories.make_initiative(status=InitiativeStatus.DRAFT, published=False).slug}


def public_notice() -> dict:
    return {**public_initiative(), "year": 2023, "month": 4}


def draft_notice() -> dict:
    return {**draft_initiative(), "year": 2023, "month": 4}


def public_short_code() -> dict:
    from registry.short_links import initiative_short_code

    return {"code": initiative_short_code(factories.make_initiative("Đường hoa Lê Lợi"))}


def public_photo_file() -> dict:
    folder = Path(settings.MEDIA_ROOT) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mau.jpg").write_bytes(factories.image_bytes())
    return {"path": "mau.jpg"}


def html_under_photos() -> dict:
    folder = Path(settings.MEDIA_ROOT) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "trang.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    return {"path": "trang.html"}


def models_csv_with_a_public_model() -> dict:
    factories.make_initiative("Đường hoa Lê Lợi")
    return {"name": "models", "fmt": "csv"}


def initiative_pk(status=InitiativeStatus.IMPLEMENTING, **kwargs) -> Callable[[], dict]:
    def build() -> dict:
        kwargs.setdefault("published", status != InitiativeStatus.DRAFT)
        return {"pk": factories.make_initiative(status=status, **kwargs).pk}

    return build


def oversight_pk() -> dict:
    from registry.models import OversightActivity

    activity = OversightActivity.objects.create(
        initiative=factories.make_initiative(),
        kind="inspection",
        happened_on="2023-04-10",
        note="Kiểm tra vỉa hè",
        follow_up_due="2023-04-20",
    )
    return {"pk": activity.pk}


def area_pk() -> dict:
    return {"pk": factories.make_area("Hải Thượng", kind="group").pk}


def area_data(kwargs: dict) -> dict:
    return {"kind": "group", "name": "Hải Thượng 2", "admin_unit": factories.make_admin_unit().pk}


def milestone_pk(published: bool = False) -> Callable[[], dict]:
    def build() -> dict:
        initiative = factories.make_initiative()
        if published:
            return {"pk": factories.make_published_milestone(initiative).pk}
        return {"pk": factories.make_milestone(initiative).pk}

    return build


def commendation_pk(status="decided") -> Callable[[], dict]:
    def build() -> dict:
        from tests.campaigns.factories_reviews import make_commendation

        return {"pk": make_commendation(status=status).pk}

    return build


def dossier_pk() -> dict:
    from campaigns import workflow
    from tests.campaigns.factories_reviews import make_commendation, uploaded_pdf

    document = workflow.dossier_attach(
        commendation=make_commendation(),
        kind="proposal_letter",
        file=uploaded_pdf(),
        by=factories.make_user(is_superuser=True),
    )
    return {"pk": document.pk}


def recognition_action() -> dict:
    from tests.campaigns.factories_reviews import make_recognition

    return {"pk": make_recognition().pk, "action": "approve"}


def commendation_action() -> dict:
    from tests.campaigns.factories_reviews import make_commendation

    return {"pk": make_commendation(status="submitted").pk, "action": "decide"}


def _ledger_entry(kind: str) -> Callable[[], dict]:
    def build() -> dict:
        from tests.campaigns import factories as ledger

        return {"pk": getattr(ledger, f"make_{kind}")().pk}

    return build


def review_round_pk() -> dict:
    from tests.campaigns.factories_reviews import make_round

    return {"pk": make_round().pk}


def round_and_initiative() -> dict:
    from tests.campaigns.factories_reviews import make_round

    return {"round_pk": make_round().pk, "initiative_pk": factories.make_initiative().pk}


def draft_with_full_dossier() -> dict:
    from tests.campaigns.factories_reviews import attach_full_dossier, make_commendation

    commendation = make_commendation()
    attach_full_dossier(commendation, by=factories.make_user(is_superuser=True))
    return {"pk": commendation.pk}


# --- valid POST data and the change each action makes -----------------------------------------


def _ledger(kwargs: dict, anchor: str, **params) -> str:
    url = reverse("workspace:ledger", args=[kwargs["pk"]])
    query = f"?{urlencode(params)}" if params else ""
    return f"{url}{query}#{anchor}"


def _detail(kwargs: dict) -> str:
    return reverse("workspace:initiative-detail", args=[kwargs["pk"]])


def _initiative_of(posted: Posted):
    from registry.models import Initiative

    return Initiative.objects.get(pk=posted.kwargs["pk"])


def milestone_data(kwargs: dict) -> dict:
    return {"title": "Trồng xong 310 chậu hoa giấy", "occurred_on": "2023-04-01"}


def milestone_photo_data(kwargs: dict) -> dict:
    return {
        "image": factories.uploaded_image("truoc.jpg"),
        "role": "before",
        "alt_text": "Vỉa hè trước khi trồng hoa",
        "order": "0",
    }


def milestone_photo_added(posted: Posted) -> None:
    from registry.models import MilestonePhoto

    edit = reverse("workspace:milestone-edit", args=[posted.kwargs["pk"]])
    posted.assert_redirects_to(f"{edit}#photos")
    photo = MilestonePhoto.objects.get(milestone_id=posted.kwargs["pk"])
    assert (photo.role, photo.alt_text) == ("before", "Vỉa hè trước khi trồng hoa")


def milestone_published(posted: Posted) -> None:
    from registry.models import Milestone

    milestone = Milestone.objects.get(pk=posted.kwargs["pk"])
    listing = reverse("workspace:milestone-list", args=[milestone.initiative_id])
    posted.assert_redirects_to(f"{listing}#milestone-{milestone.pk}")
    assert (milestone.status, milestone.published_by) == ("published", posted.user)


def initiative_with_draft() -> dict:
    initiative = factories.make_initiative()
    factories.make_milestone(initiative)
    return {"pk": initiative.pk}


def discard_data(kwargs: dict) -> dict:
    from registry.models import Milestone

    drafts = Milestone.objects.filter(initiative_id=kwargs["pk"], status="draft")
    return {"milestones": [m.pk for m in drafts], "reason": "Mốc tự động, không có gì mới"}


def drafts_discarded(posted: Posted) -> None:
    from registry.models import Milestone

    posted.assert_redirects_to(reverse("workspace:milestone-list", args=[posted.kwargs["pk"]]))
    statuses = Milestone.objects.filter(initiative_id=posted.kwargs["pk"])
    assert set(statuses.values_list("status", flat=True)) == {"withdrawn"}


def logged_out(posted: Posted) -> None:
    posted.assert_redirects_to(settings.LOGOUT_REDIRECT_URL)
    assert "_auth_user_id" not in posted.client.session


def language_set(posted: Posted) -> None:
    posted.assert_redirects_to("/")
    assert posted.response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def moved_to(status: str) -> Callable[[Posted], None]:
    def done(posted: Posted) -> None:
        from registry.models import InitiativeTransition

        posted.assert_redirects_to(_detail(posted.kwargs))
        assert _initiative_of(posted).status == status
        assert InitiativeTransition.objects.get(initiative_id=posted.kwargs["pk"]).by == posted.user

    return done


def published_is(published: bool) -> Callable[[Posted], None]:
    def done(posted: Posted) -> None:
        posted.assert_redirects_to(_detail(posted.kwargs))
        assert _initiative_of(posted).published is published

    return done


def oversight_resolved(posted: Posted) -> None:
    from registry.models import OversightActivity

    activity = OversightActivity.objects.get(pk=posted.kwargs["pk"])
    oversight = reverse("workspace:oversight", args=[activity.initiative_id])
    posted.assert_redirects_to(f"{oversight}#oversight-{activity.pk}")
    assert activity.resolved


def contributor_data(kwargs: dict) -> dict:
    return {"contributor-kind": "household", "contributor-name": "Hộ bà Lê Thị Hoa"}


def contributor_created(posted: Posted) -> None:
    from campaigns.models import Contributor

    contributor = Contributor.objects.get(name="Hộ bà Lê Thị Hoa")
    posted.assert_redirects_to(_ledger(posted.kwargs, "record", contributor=contributor.pk))


def _contributor_pk() -> int:
    from tests.campaigns import factories as ledger

    return ledger.make_contributor("Doanh nghiệp Hải Tiến").pk


def pledge_data(kwargs: dict) -> dict:
    return {
        "pledge-contributor": _contributor_pk(),
        "pledge-kind": "cash",
        "pledge-value": "2000000",
        "pledge-pledged_on": "2023-03-01",
    }


def pledge_recorded(posted: Posted) -> None:
    from campaigns.models import Pledge

    posted.assert_redirects_to(_ledger(posted.kwargs, "pledges"))
    pledge = Pledge.objects.get(initiative_id=posted.kwargs["pk"])
    assert (pledge.contributor_id, pledge.value) == (posted.data["pledge-contributor"], 2_000_000)


def donation_data(kwargs: dict) -> dict:
    return {
        "donation-contributor": _contributor_pk(),
        "donation-kind": "cash",
        "donation-amount": "3000000",
        "donation-received_on": "2023-04-01",
        "donation-receipt_number": "BN-0999",
    }


def donation_recorded(posted: Posted) -> None:
    from campaigns.models import Donation

    posted.assert_redirects_to(_ledger(posted.kwargs, "donations"))
    donation = Donation.objects.get(initiative_id=posted.kwargs["pk"])
    assert (donation.receipt_number, donation.amount) == ("BN-0999", 3_000_000)


def expense_data(kwargs: dict) -> dict:
    return {
        "expense-description": "Mua chậu hoa giấy",
        "expense-amount": "500000",
        "expense-spent_on": "2023-04-05",
        "expense-voucher_number": "PC-0999",
    }


def expense_recorded(posted: Posted) -> None:
    from campaigns.models import Expense

    posted.assert_redirects_to(_ledger(posted.kwargs, "expenses"))
    expense = Expense.objects.get(initiative_id=posted.kwargs["pk"])
    assert (expense.voucher_number, expense.amount) == ("PC-0999", 500_000)


def reason(kwargs: dict) -> dict:
    return {"reason": "Ghi nhầm số tiền"}


def entry_undone(kind: str) -> Callable[[Posted], None]:
    def done(posted: Posted) -> None:
        from campaigns.models import Donation, Expense, Pledge

        model = {"pledge": Pledge, "donation": Donation, "expense": Expense}[kind]
        entry = model.objects.get(pk=posted.kwargs["pk"])
        posted.assert_redirects_to(_ledger({"pk": entry.initiative_id}, f"{kind}-{entry.pk}"))
        if kind == "pledge":
            assert entry.cancelled
        else:
            assert model.objects.get(reverses=entry).amount == -entry.amount

    return done


def scores(kwargs: dict) -> dict:
    from campaigns.models import ReviewRound

    review_round = ReviewRound.objects.get(pk=kwargs["round_pk"])
    data = {f"score_{c.pk}": "30" for c in review_round.campaign.criteria.all()}
    return {**data, "recommendation": "recognise", "comment": "Tốt"}


def evaluation_saved(posted: Posted) -> None:
    from campaigns.models import Evaluation

    sheet = reverse("workspace:score-sheet", args=[posted.kwargs["round_pk"]])
    posted.assert_redirects_to(f"{sheet}#row-{posted.kwargs['initiative_pk']}")
    evaluation = Evaluation.objects.get(
        review_round_id=posted.kwargs["round_pk"], initiative_id=posted.kwargs["initiative_pk"]
    )
    assert (evaluation.evaluator, evaluation.comment) == (posted.user, "Tốt")


def dossier_file(kwargs: dict) -> dict:
    from tests.campaigns.factories_reviews import uploaded_pdf

    return {"kind": "achievement_report", "file": uploaded_pdf("bao-cao.pdf")}


def _commendation_detail(pk: int) -> str:
    return reverse("workspace:commendation-detail", args=[pk])


def dossier_attached(posted: Posted) -> None:
    from campaigns.models import DossierDocument

    posted.assert_redirects_to(_commendation_detail(posted.kwargs["pk"]))
    assert DossierDocument.objects.get(commendation_id=posted.kwargs["pk"]).kind == (
        "achievement_report"
    )


def dossier_removed(posted: Posted) -> None:
    from campaigns.models import Commendation, DossierDocument

    assert posted.response.status_code == 302, posted.response.status_code
    match = resolve(posted.response["Location"])
    assert match.view_name == "workspace:commendation-detail", posted.response["Location"]
    assert Commendation.objects.filter(pk=match.kwargs["pk"]).exists()
    assert not DossierDocument.objects.filter(pk=posted.kwargs["pk"]).exists()


def commendation_in(status: str, url: Callable[[int], str]) -> Callable[[Posted], None]:
    def done(posted: Posted) -> None:
        from campaigns.models import Commendation

        posted.assert_redirects_to(url(posted.kwargs["pk"]))
        assert Commendation.objects.get(pk=posted.kwargs["pk"]).status == status

    return done


def recognition_approved(posted: Posted) -> None:
    from campaigns.models import Recognition

    pk = posted.kwargs["pk"]
    posted.assert_redirects_to(reverse("admin:campaigns_recognition_change", args=[pk]))
    recognition = Recognition.objects.get(pk=pk)
    assert (recognition.status, recognition.decision_number) == ("approved", "12-QĐ/ĐU")


def _commendation_admin(pk: int) -> str:
    return reverse("admin:campaigns_commendation_change", args=[pk])


# --- residents' feedback ------------------------------------------------------------------------

_FEEDBACK_TOKENS: dict[str, str] = {}


def _feedback(status: str = "new"):
    from participation import workflow as feedback_workflow
    from tests.participation.factories import make_feedback

    feedback = make_feedback(factories.make_initiative())
    _FEEDBACK_TOKENS[feedback.code] = feedback.token
    official = factories.make_official()
    if status in ("received", "answered"):
        feedback_workflow.feedback_receive(feedback=feedback, by=official)
    if status == "answered":
        feedback_workflow.feedback_answer(feedback=feedback, by=official, text="Đã xử lý xong.")
    return feedback


def feedback_code_answered() -> dict:
    return {"code": _feedback("answered").code}


def feedback_pk(status: str = "new") -> Callable[[], dict]:
    return lambda: {"pk": _feedback(status).pk}


def feedback_assigned() -> dict:
    from participation import workflow as feedback_workflow

    feedback = _feedback()
    official = factories.make_official()
    feedback_workflow.feedback_assign(feedback=feedback, by=official, assignee=official)
    return {"pk": feedback.pk}


def feedback_action_receive() -> dict:
    return {"pk": _feedback().pk, "action": "receive"}


def feedback_photo_pk() -> dict:
    from participation.models import FeedbackPhoto
    from registry.images import process_photo

    feedback = _feedback()
    photo = FeedbackPhoto(feedback=feedback)
    processed = process_photo(factories.uploaded_image())
    photo.image.save(processed.image.name, processed.image, save=True)
    return {"pk": photo.pk}


def _feedback_of(posted: Posted):
    from participation.models import Feedback

    if "code" in posted.kwargs:
        return Feedback.objects.get(code=posted.kwargs["code"])
    return Feedback.objects.get(pk=posted.kwargs["pk"])


def _feedback_detail_url(posted: Posted) -> str:
    return reverse("workspace:feedback-detail", args=[_feedback_of(posted).pk])


def feedback_rated(posted: Posted) -> None:
    feedback = _feedback_of(posted)
    assert posted.response.status_code == 302
    assert posted.response["Location"] == f"/gop-y/{feedback.code}/"  # the token in a cookie
    assert feedback.rating == 4


def feedback_received(posted: Posted) -> None:
    posted.assert_redirects_to(_feedback_detail_url(posted))
    feedback = _feedback_of(posted)
    assert feedback.status == "received" and feedback.due_on is not None
    assert feedback.transitions.get().by == posted.user


def feedback_unassigned(posted: Posted) -> None:
    posted.assert_redirects_to(_feedback_detail_url(posted))
    assert _feedback_of(posted).assignee is None


def feedback_published(posted: Posted) -> None:
    posted.assert_redirects_to(_feedback_detail_url(posted))
    feedback = _feedback_of(posted)
    assert feedback.published_at is not None and feedback.public_text == "Nội dung đã che."


# --- the table: one line per URL name ----------------------------------------------------------

ADMIN = "admin"  # the whole admin include is one entry, covered by test_admin_* below

EXPECTED: dict[str, Expect] = {
    ADMIN: page("staff"),
    "public:home": page(contains="Dân vận khéo"),
    "public:initiative-list": page(contains="Mô hình"),
    "public:initiative-detail": page(
        kwargs=public_initiative, wrong_state=draft_initiative, contains="Đường hoa Lê Lợi"
    ),
    "public:initiative-timeline": page(
        kwargs=public_initiative, wrong_state=draft_initiative, contains="Tiến độ"
    ),
    "public-media": page(kwargs=public_photo_file, wrong_state=html_under_photos),
    # printed pages: a draft's poster and QR code only for officials (marked "BẢN NHÁP")
    "public:initiative-poster": page(
        kwargs=public_initiative, wrong_state=draft_initiative, contains="Quét để xem tiến độ"
    ),
    "public:initiative-qr": page(
        kwargs=lambda: {**public_initiative(), "fmt": "png"},
        wrong_state=lambda: {**draft_initiative(), "fmt": "png"},
    ),
    "public:initiative-notice": page(
        kwargs=public_notice, wrong_state=draft_notice, contains="BẢNG CÔNG KHAI"
    ),
    "public:short-link": page(
        kwargs=public_short_code, wrong_state=lambda: {"code": "ZZZZZZ"}, status=302
    ),
    "login": page(contains="Đăng nhập", accepts_post=True),
    "logout": action(PUBLIC, done=logged_out),
    "password_change": page(LOGIN, contains="password", accepts_post=True),
    "password_change_done": page(LOGIN),
    "set_language": action(
        PUBLIC, post_data=lambda kwargs: {"language": "en", "next": "/"}, done=language_set
    ),
    "favicon": page(status=302),
    "healthz": page(contains='"database": "ok"'),
    # the workspace (/quan-ly/)
    "workspace:dashboard": page(WORKSPACE, contains="Việc cần làm"),
    "workspace:initiative-list": page(WORKSPACE),
    "workspace:initiative-create": page(ws("registry.add_initiative"), accepts_post=True),
    "workspace:initiative-detail": page(WORKSPACE, kwargs=initiative_pk()),
    "workspace:initiative-edit": page(
        ws("registry.change_initiative"), kwargs=initiative_pk(), accepts_post=True
    ),
    "workspace:initiative-preview": page(WORKSPACE, kwargs=initiative_pk(), contains="Xem trước"),
    "workspace:initiative-history": page(WORKSPACE, kwargs=initiative_pk()),
    # the log is read with the workspace; recording in it needs its own permission
    "workspace:oversight": page(
        WORKSPACE,
        kwargs=initiative_pk(),
        accepts_post=True,
        post_access=ws("registry.add_oversightactivity"),
        post_data=lambda kwargs: {
            "kind": "inspection",
            "happened_on": "2023-04-10",
            "note": "Kiểm tra vỉa hè",
        },
    ),
    "workspace:initiative-submit": action(
        ws("registry.submit_initiative"),
        kwargs=initiative_pk(InitiativeStatus.DRAFT),
        done=moved_to(InitiativeStatus.REGISTERED),
    ),
    "workspace:initiative-complete": action(
        ws("registry.complete_initiative"),
        kwargs=initiative_pk(),
        done=moved_to(InitiativeStatus.COMPLETED),
    ),
    "workspace:initiative-publish": action(
        ws("registry.publish_initiative"),
        kwargs=initiative_pk(published=False),
        done=published_is(True),
    ),
    "workspace:initiative-unpublish": action(
        ws("registry.publish_initiative"), kwargs=initiative_pk(), done=published_is(False)
    ),
    "workspace:oversight-resolve": action(
        ws("registry.change_oversightactivity"), kwargs=oversight_pk, done=oversight_resolved
    ),
    # residential areas: listed with the workspace and the view permission, added, renamed
    "workspace:area-list": page(ws("registry.view_residentialarea"), contains="Khu dân cư"),
    "workspace:area-create": page(
        ws("registry.add_residentialarea"), accepts_post=True, post_data=area_data
    ),
    "workspace:area-edit": page(
        ws("registry.change_residentialarea"),
        kwargs=area_pk,
        accepts_post=True,
        post_data=area_data,
    ),
    "workspace:guide": page(WORKSPACE, contains="Hướng dẫn"),
    # the progress timeline: read with the workspace, drafted, edited, published separately
    "workspace:milestone-list": page(
        ws("registry.view_milestone"),
        kwargs=initiative_pk(),
        accepts_post=True,
        post_access=ws("registry.view_milestone", "registry.add_milestone"),
        post_data=milestone_data,
    ),
    "workspace:milestone-discard": action(
        ws("registry.publish_milestone"),
        kwargs=initiative_with_draft,
        post_data=discard_data,
        done=drafts_discarded,
    ),
    "workspace:milestone-edit": page(
        ws("registry.view_milestone"),
        kwargs=milestone_pk(),
        accepts_post=True,
        post_access=ws("registry.change_milestone"),
        post_data=milestone_data,
    ),
    "workspace:milestone-photo-add": action(
        ws("registry.add_milestonephoto"),
        kwargs=milestone_pk(),
        post_data=milestone_photo_data,
        done=milestone_photo_added,
    ),
    "workspace:milestone-publish": action(
        ws("registry.publish_milestone"), kwargs=milestone_pk(), done=milestone_published
    ),
    "workspace:milestone-withdraw": page(
        ws("registry.publish_milestone"),
        kwargs=milestone_pk(published=True),
        accepts_post=True,
        post_data=reason,
    ),
    "workspace:milestone-supersede": page(
        ws("registry.add_milestone"),
        kwargs=milestone_pk(published=True),
        accepts_post=True,
        post_data=milestone_data,
    ),
    # the workspace, campaigns (campaigns/workspace_urls.py): ledger, reviews, commendations
    "workspace:ledger-index": page(ws("campaigns.view_donation"), contains="Đóng góp"),
    "workspace:ledger": page(ws("campaigns.view_donation"), kwargs=initiative_pk()),
    "workspace:contributor-search": page(
        ws("campaigns.view_donation", "campaigns.view_contributor"),
        contains="Tìm người đóng góp trong mọi mô hình",
    ),
    "workspace:contributor-create": action(
        ws("campaigns.view_donation", "campaigns.add_contributor"),
        kwargs=initiative_pk(),
        post_data=contributor_data,
        done=contributor_created,
    ),
    "workspace:pledge-record": action(
        ws("campaigns.record_pledge"),
        kwargs=initiative_pk(),
        post_data=pledge_data,
        done=pledge_recorded,
    ),
    "workspace:donation-record": action(
        ws("campaigns.record_donation"),
        kwargs=initiative_pk(),
        post_data=donation_data,
        done=donation_recorded,
    ),
    "workspace:expense-record": action(
        ws("campaigns.record_expense"),
        kwargs=initiative_pk(),
        post_data=expense_data,
        done=expense_recorded,
    ),
    "workspace:pledge-cancel": action(
        ws("campaigns.cancel_pledge"),
        kwargs=_ledger_entry("pledge"),
        post_data=reason,
        done=entry_undone("pledge"),
    ),
    "workspace:donation-reverse": action(
        ws("campaigns.reverse_donation"),
        kwargs=_ledger_entry("donation"),
        post_data=reason,
        done=entry_undone("donation"),
    ),
    "workspace:expense-reverse": action(
        ws("campaigns.reverse_expense"),
        kwargs=_ledger_entry("expense"),
        post_data=reason,
        done=entry_undone("expense"),
    ),
    # "Sửa khoản này": cancelling or reversing, and recording the replacement.
    "workspace:pledge-correct": page(
        ws("campaigns.cancel_pledge", "campaigns.record_pledge"),
        kwargs=_ledger_entry("pledge"),
        accepts_post=True,
        contains="Sửa cam kết",
    ),
    "workspace:donation-correct": page(
        ws("campaigns.reverse_donation", "campaigns.record_donation"),
        kwargs=_ledger_entry("donation"),
        accepts_post=True,
        contains="Sửa khoản này",
    ),
    "workspace:expense-correct": page(
        ws("campaigns.reverse_expense", "campaigns.record_expense"),
        kwargs=_ledger_entry("expense"),
        accepts_post=True,
        contains="Sửa khoản này",
    ),
    "workspace:round-list": page(ws("campaigns.view_reviewround"), contains="đợt đánh giá"),
    "workspace:score-sheet": page(ws("campaigns.view_reviewround"), kwargs=review_round_pk),
    "workspace:evaluation-save": action(
        ws("campaigns.score_evaluation"),
        kwargs=round_and_initiative,
        post_data=scores,
        done=evaluation_saved,
    ),
    "workspace:recognition-propose": page(
        ws("campaigns.propose_recognition"), kwargs=round_and_initiative, accepts_post=True
    ),
    "workspace:initiative-reviews": page(ws("campaigns.view_reviewround"), kwargs=initiative_pk()),
    "workspace:commendation-list": page(ws("campaigns.view_commendation"), contains="Khen thưởng"),
    "workspace:commendation-create": page(ws("campaigns.propose_commendation"), accepts_post=True),
    "workspace:commendation-detail": page(
        ws("campaigns.view_commendation"), kwargs=commendation_pk("draft")
    ),
    "workspace:dossier-attach": action(
        ws("campaigns.propose_commendation"),
        kwargs=commendation_pk("draft"),
        post_data=dossier_file,
        done=dossier_attached,
    ),
    "workspace:commendation-submit": action(
        ws("campaigns.propose_commendation"),
        kwargs=draft_with_full_dossier,
        done=commendation_in("submitted", _commendation_detail),
    ),
    "workspace:dossier-remove": action(
        ws("campaigns.propose_commendation"), kwargs=dossier_pk, done=dossier_removed
    ),
    # residents' feedback; the tracking page without its token is a 404 (no enumeration:
    # tests/participation/test_public_pages.py opens it with the token)
    "public:feedback-submit": page(
        kwargs=public_initiative,
        wrong_state=draft_initiative,
        contains="Gửi góp ý",
        accepts_post=True,
    ),
    "public:feedback-list": page(contains="Góp ý của người dân"),
    "public:feedback-start": page(contains="Chọn mô hình để góp ý"),
    "public:feedback-ward": page(contains="Góp ý chung về công việc của", accepts_post=True),
    "public:feedback-track": page(kwargs=feedback_code_answered, status=404),
    "public:feedback-rate": action(
        PUBLIC,
        kwargs=feedback_code_answered,
        post_data=lambda kwargs: {"t": _FEEDBACK_TOKENS[kwargs["code"]], "rating": 4},
        done=feedback_rated,
    ),
    "workspace:feedback-list": page(ws("participation.view_feedback"), contains="Góp ý"),
    "workspace:feedback-detail": page(ws("participation.view_feedback"), kwargs=feedback_pk()),
    "workspace:feedback-transition": action(
        ws("participation.view_feedback", "participation.answer_feedback"),
        kwargs=feedback_action_receive,
        done=feedback_received,
    ),
    "workspace:feedback-assign": action(
        ws("participation.view_feedback", "participation.answer_feedback"),
        kwargs=feedback_assigned,
        post_data=lambda kwargs: {"assignee": ""},
        done=feedback_unassigned,
    ),
    "workspace:feedback-publish": action(
        ws("participation.view_feedback", "participation.publish_feedback"),
        kwargs=feedback_pk("received"),
        post_data=lambda kwargs: {"public_text": "Nội dung đã che."},
        done=feedback_published,
    ),
    "workspace:feedback-photo": page(ws("participation.view_feedback"), kwargs=feedback_photo_pk),
    # summary reports
    "public:report": page(contains="Kết quả phong trào"),
    # open data
    "public:opendata": page(contains="CC BY 4.0"),
    "public:opendata-file": page(
        kwargs=models_csv_with_a_public_model,
        wrong_state=lambda: {"name": "models", "fmt": "xlsx"},
        contains="Đường hoa Lê Lợi",
    ),
    "public:opendata-datapackage": page(contains="tabular-data-resource"),
    "public:opendata-catalog": page(contains="dcat:Catalog"),
    "public:opendata-feed": page(contains="<feed"),
    "workspace:report": page(ws("campaigns.view_report"), contains="Báo cáo sơ kết"),
    "workspace:report-print": page(ws("campaigns.view_report"), contains="ĐẢNG CỘNG SẢN VIỆT NAM"),
    "workspace:report-xlsx": page(ws("campaigns.view_report")),
    "workspace:report-csv": page(ws("campaigns.view_report")),
    # staff pages of the campaigns app
    "workspace:certificate": page(
        "campaigns.view_commendation",
        kwargs=commendation_pk("decided"),
        wrong_state=commendation_pk("draft"),
        contains="GIẤY KHEN",
    ),
    "workspace:dossier-download": page("campaigns.view_dossierdocument", kwargs=dossier_pk),
    "workspace:recognition-transition": action(
        "campaigns.decide_recognition",
        kwargs=recognition_action,
        post_data=lambda kwargs: {"decision_number": "12-QĐ/ĐU", "decided_on": "2023-06-01"},
        done=recognition_approved,
    ),
    "workspace:commendation-transition": action(
        "campaigns.decide_commendation",
        kwargs=commendation_action,
        post_data=lambda kwargs: {"decision_number": "7/QĐ-UBND", "decided_on": "2023-12-20"},
        done=commendation_in("decided", _commendation_admin),
    ),
}


# --- walking the resolver ----------------------------------------------------------------------


URL_NAMES = sorted(project_url_names())
PAGES = [name for name in URL_NAMES if name != ADMIN and name in EXPECTED]


def test_every_url_pattern_is_in_the_table():
    missing = sorted(set(URL_NAMES) - set(EXPECTED))
    assert not missing, (
        f"URL patterns without an entry in tests/security/test_url_access.py EXPECTED: {missing}. "
        "Add one line per URL saying who may use it."
    )


def test_the_table_names_no_url_that_does_not_exist():
    stale = sorted(set(EXPECTED) - set(URL_NAMES))
    assert not stale, f"EXPECTED names URLs the project does not have: {stale}"


# --- helpers -----------------------------------------------------------------------------------


def _user_without_permission():
    return factories.make_user("nguoidan")


def _user_with_access(expect: Expect):
    if expect.access in (PUBLIC, LOGIN):
        return factories.make_user("thanhvien")
    if expect.access == "staff":
        return factories.make_user("nhanvien", is_staff=True, is_superuser=True)
    user = factories.make_user("duocphep")
    for permission in expect.access.split("+"):
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _text(response) -> str:
    """The body as text, a streamed download (open data) included."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _url(name: str, kwargs: dict) -> str:
    return reverse(name, kwargs=kwargs or None)


def _assert_login_redirect(response, url):
    assert response.status_code == 302, response.status_code
    login = reverse(settings.LOGIN_URL)
    assert response["Location"] == f"{login}?next={quote(url, safe='/')}", response["Location"]


# --- anonymous ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_anonymous_get_answers_as_designed(client, name):
    expect = EXPECTED[name]
    url = _url(name, expect.kwargs())
    response = client.get(url)
    if expect.post_only:
        assert response.status_code == 405
    elif expect.access == PUBLIC:
        assert response.status_code == expect.status
        if expect.contains:
            assert expect.contains in _text(response)
    else:
        _assert_login_redirect(response, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in PAGES if EXPECTED[n].post_only and EXPECTED[n].access != PUBLIC]
)
def test_anonymous_post_to_an_action_redirects_to_login_and_changes_nothing(client, name):
    expect = EXPECTED[name]
    kwargs = expect.kwargs()
    url, data = _url(name, kwargs), expect.post_data(kwargs)
    before = _row_counts()
    _assert_login_redirect(client.post(url, data), url)
    assert _row_counts() == before


# --- logged in ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PAGES if EXPECTED[n].access not in (PUBLIC, LOGIN)])
def test_a_user_without_the_permission_gets_403(client, name):
    expect = EXPECTED[name]
    client.force_login(_user_without_permission())
    kwargs = expect.kwargs()
    url, data = _url(name, kwargs), expect.post_data(kwargs)
    before = _row_counts()
    response = client.post(url, data) if expect.post_only else client.get(url)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    assert _row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PAGES if not EXPECTED[n].post_only])
def test_a_user_with_access_gets_the_page(client, name):
    expect = EXPECTED[name]
    client.force_login(_user_with_access(expect))
    response = client.get(_url(name, expect.kwargs()))
    assert response.status_code == expect.status
    if expect.contains:
        assert expect.contains in _text(response)


def _named(access: str) -> list[str]:
    return [] if access in (PUBLIC, LOGIN, "staff") else access.split("+")


def _user_with_every_permission_but(missing: str):
    """A workspace user in every other way: staff, every permission of the project but one."""
    user = factories.make_user("gannhuday", is_staff=True)
    app_label, codename = missing.split(".")
    user.user_permissions.set(
        Permission.objects.exclude(content_type__app_label=app_label, codename=codename)
    )
    user = type(user).objects.get(pk=user.pk)  # no permission cache
    assert not user.has_perm(missing)
    assert missing == WORKSPACE or user.has_perm(WORKSPACE)
    return user


# (name, method, permission): each permission an entry names, taken away on its own.
ONE_PERMISSION_MISSING = [
    (name, method, permission)
    for name in PAGES
    for method, access in (
        [("POST", EXPECTED[name].access)]
        if EXPECTED[name].post_only
        else [("GET", EXPECTED[name].access)]
        + ([("POST", EXPECTED[name].access_for_post)] if EXPECTED[name].accepts_post else [])
    )
    for permission in _named(access)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "permission"), ONE_PERMISSION_MISSING)
def test_a_user_with_every_permission_but_the_named_one_gets_403(client, name, method, permission):
    """Holding everything else does not stand in for the permission the entry names."""
    expect = EXPECTED[name]
    client.force_login(_user_with_every_permission_but(permission))
    kwargs = expect.kwargs()
    url, data = _url(name, kwargs), expect.post_data(kwargs)
    before = _row_counts()
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == 403, response.status_code
    assert "Không có quyền truy cập" in response.content.decode()
    assert _row_counts() == before


def test_every_action_in_the_table_names_the_change_it_makes():
    """A new POST-only URL comes with a ``done`` check, so its success is tested too."""
    missing = sorted(n for n in PAGES if EXPECTED[n].post_only and EXPECTED[n].done is None)
    assert not missing, f"POST-only entries without done=: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PAGES if EXPECTED[n].post_only])
def test_a_permitted_user_s_post_makes_the_change_the_action_names(client, name):
    """The user holding only the named permissions is enough for the action to happen."""
    expect = EXPECTED[name]
    user = _user_with_access(expect)
    client.force_login(user)
    kwargs = expect.kwargs()
    data = expect.post_data(kwargs)
    response = client.post(_url(name, kwargs), data)
    expect.done(Posted(client, user, kwargs, data, response))


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PAGES if EXPECTED[n].wrong_state])
def test_an_object_in_the_wrong_state_is_404_even_for_a_user_with_access(client, name):
    expect = EXPECTED[name]
    if expect.access != PUBLIC:
        client.force_login(_user_with_access(expect))
    response = client.get(_url(name, expect.wrong_state()))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


# --- state changes -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in PAGES if EXPECTED[n].post_only])
def test_get_on_a_state_changing_url_is_405_and_changes_nothing(client, name):
    expect = EXPECTED[name]
    user = _user_with_access(expect)
    client.force_login(user)
    kwargs = expect.kwargs()
    url, data = _url(name, kwargs), expect.post_data(kwargs)
    before = _row_counts()
    response = client.get(url, {k: v for k, v in data.items() if isinstance(v, str | int)})
    assert response.status_code == 405
    assert _row_counts() == before
    assert client.session.get("_auth_user_id") == str(user.pk), "GET must not log out"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n in PAGES if EXPECTED[n].post_only or EXPECTED[n].accepts_post]
)
def test_a_post_without_csrf_token_is_403_and_changes_nothing(name):
    expect = EXPECTED[name]
    client = Client(enforce_csrf_checks=True)
    user = _user_with_access(expect)
    client.force_login(user)
    kwargs = expect.kwargs()
    url, data = _url(name, kwargs), expect.post_data(kwargs)
    before = _row_counts()
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
    assert _row_counts() == before
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_post_with_its_csrf_token_goes_through():
    """The CSRF test above fails for the right reason: the same POST with a token works."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.make_user("thanhvien"))
    client.get(reverse("public:home"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- the admin (one entry in the table) ---------------------------------------------------------


def test_the_admin_stays_at_slash_admin():
    assert reverse("admin:index") == "/admin/"


@pytest.mark.django_db
def test_admin_sends_anonymous_and_non_staff_users_to_its_login(client):
    response = client.get("/admin/registry/initiative/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(_user_without_permission())
    response = client.get("/admin/registry/initiative/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_refuses_a_staff_user_without_model_permissions(client):
    client.force_login(factories.make_user("nhanvien", is_staff=True))
    response = client.get("/admin/registry/initiative/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_serves_its_pages_to_an_administrator(admin_client):
    factories.make_initiative("Đường hoa Lê Lợi")
    response = admin_client.get("/admin/registry/initiative/")
    assert response.status_code == 200
    assert "Đường hoa Lê Lợi" in response.content.decode()
