"""The admin index's "Chờ Đảng ủy quyết định": what waits for the committee, with counts and
links to the filtered change lists (the oldest few by name), for the decisions the user may
take. Three counts and three short lists, whatever the amount of data."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns import workflow
from campaigns.models import Commendation, Recognition
from campaigns.review_choices import CommendationStatus, RecognitionStatus
from registry import workflow as registry_workflow
from registry.choices import InitiativeStatus
from registry.models import Initiative

register = template.Library()

# The oldest waiting items named on the index; the count links to all of them.
SHOWN = 5


def _entry(*, title, queryset, status, url_name, name, order):
    changelist = reverse(f"admin:{url_name}_changelist")
    rows = list(queryset.filter(status=status).order_by(*order)[:SHOWN])
    return {
        "title": title,
        "count": queryset.filter(status=status).count(),
        "url": f"{changelist}?status__exact={status}",
        "items": [(name(obj), reverse(f"admin:{url_name}_change", args=[obj.pk])) for obj in rows],
    }


@register.inclusion_tag("admin/includes/_committee_queue.html", takes_context=True)
def committee_queue(context):
    user = context["request"].user
    entries = []
    if user.has_perm(registry_workflow.TRANSITIONS["approve"].permission):
        entries.append(
            _entry(
                title=_("Đăng ký mô hình chờ duyệt"),
                queryset=Initiative.objects.only("code", "title"),
                status=InitiativeStatus.REGISTERED,
                url_name="registry_initiative",
                name=lambda i: f"{i.code} · {i.title}",
                order=["updated_at", "pk"],
            )
        )
    # Recognitions wait twice: for the decision, then, approved, for their publication.
    for step, title, status, order in (
        (
            "approve",
            _("Đề nghị công nhận chờ quyết định"),
            RecognitionStatus.PROPOSED,
            "proposed_at",
        ),
        (
            "publish",
            _("Quyết định công nhận chờ công bố"),
            RecognitionStatus.APPROVED,
            "decided_at",
        ),
    ):
        if user.has_perm(workflow.RECOGNITION_TRANSITIONS[step].permission):
            entries.append(
                _entry(
                    title=title,
                    queryset=Recognition.objects.select_related("initiative").only(
                        "level", "initiative__title"
                    ),
                    status=status,
                    url_name="campaigns_recognition",
                    name=lambda r: f"{r.initiative.title} · {r.get_level_display()}",
                    order=[order, "pk"],
                )
            )
    if user.has_perm(workflow.COMMENDATION_TRANSITIONS["decide"].permission):
        entries.append(
            _entry(
                title=_("Hồ sơ khen thưởng đã trình"),
                queryset=Commendation.objects.only("recipient_name", "form"),
                status=CommendationStatus.SUBMITTED,
                url_name="campaigns_commendation",
                name=lambda c: f"{c.recipient_name} · {c.get_form_display()}",
                order=["pk"],
            )
        )
    return {"entries": entries}
