"""The officials' workspace (/quan-ly/) for the registry: thin views.

Each view: authorise through registry/permissions.py, bind a form, call the workflow function,
leave a message, redirect. Every state change is a POST; errors come back as messages.
"""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from registry import permissions, workflow
from registry.forms import INITIATIVE_FORMSETS, OversightActivityForm, WorkspaceInitiativeForm
from registry.history import initiative_history
from registry.models import Indicator, Initiative, InitiativeTransition
from registry.permissions import InitiativeCapabilities, workspace_required
from registry.queries import workspace_initiative_list_queryset
from registry.short_links import recent_scans
from wardmodels.public.queries import initiative_detail_queryset

from ..dashboard import build_dashboard
from ..filters import WorkspaceInitiativeFilter

HISTORY_PAGE_SIZE = 50


def _detail_url(initiative) -> str:
    return reverse("workspace:initiative-detail", args=[initiative.pk])


@workspace_required
def dashboard(request):
    return render(request, "workspace/dashboard.html", {"sections": build_dashboard(request)})


@method_decorator(workspace_required, name="dispatch")
class InitiativeListView(FilterView):
    filterset_class = WorkspaceInitiativeFilter
    template_name = "workspace/initiative_list.html"
    context_object_name = "initiatives"
    paginate_by = 25
    strict = True

    def get_queryset(self):
        return workspace_initiative_list_queryset()

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise Http404(str(exc)) from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_add=self.request.user.has_perm(permissions.ADD_INITIATIVE), **kwargs
        )


@workspace_required
def initiative_detail(request, pk):
    initiative = permissions.get_initiative_for_view(
        request,
        pk,
        Initiative.objects.select_related(
            "field__parent", "lead_organization", "admin_unit", "created_by", "updated_by"
        ).prefetch_related("indicators", "commitments", "photos"),
    )
    transitions = InitiativeTransition.objects.filter(initiative=initiative).select_related("by")
    return render(
        request,
        "workspace/initiative_detail.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "transitions": transitions[:5],
            "open_follow_ups": initiative.oversight_activities.filter(
                resolved=False, follow_up_due__isnull=False
            ).count(),
            # How often its posters are scanned: counts per day, nothing about who scanned.
            "scans": recent_scans(initiative),
        },
    )


def _bind_formsets(request, initiative):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return [
        (heading, formset_class(data, files, instance=initiative, prefix=prefix))
        for prefix, formset_class, heading in INITIATIVE_FORMSETS
    ]


def _initiative_form_page(request, initiative: Initiative):
    """Create or edit ``initiative`` with its indicators, commitments and photos at once."""
    is_new = initiative.pk is None
    if request.method == "POST":
        form = WorkspaceInitiativeForm(request.POST, instance=initiative)
        formsets = _bind_formsets(request, initiative)
        # Validate everything (not just up to the first error) so every error shows at once.
        results = [form.is_valid()] + [formset.is_valid() for _heading, formset in formsets]
        if all(results):
            try:
                saved = _save_initiative(request, form, formsets)
            except workflow.WorkflowError as exc:
                # Everything was rolled back: the page comes again with what was typed.
                if is_new:
                    form.instance.pk = None
                    form.instance._state.adding = True
                field = "progress_reason" if exc.code == "reason_required" else None
                form.add_error(field, exc.message)
            else:
                message = _("Đã tạo mô hình “%(title)s”.") if is_new else _("Đã lưu “%(title)s”.")
                messages.success(request, message % {"title": saved.title})
                return redirect(_detail_url(saved))
        status = 409 if form.conflict else 200
        has_errors = True
    else:
        form = WorkspaceInitiativeForm(instance=initiative)
        formsets = _bind_formsets(request, initiative)
        status = 200
        has_errors = False
    photos_were_chosen = request.method == "POST" and any(
        key.startswith("photos-") for key in request.FILES
    )
    return render(
        request,
        "workspace/initiative_form.html",
        {
            "initiative": initiative if not is_new else None,
            "caps": None if is_new else InitiativeCapabilities.of(request.user, initiative),
            "form": form,
            "formsets": formsets,
            "has_errors": has_errors,
            "photos_were_chosen": photos_were_chosen,
        },
        status=status,
    )


def _save_initiative(request, form, formsets) -> Initiative:
    """Save the model, its commitments and photos, then its indicator results and progress,
    through the workflow (which recomputes the figure and drafts a milestone); all or
    nothing."""
    indicators = next((f for _heading, f in formsets if f.model is Indicator), None)

    def save_related(saved: Initiative) -> None:
        form.save_m2m()
        for _heading, formset in formsets:
            if formset is not indicators:
                formset.instance = saved
                formset.save()

    def save_indicators(locked: Initiative) -> None:
        indicators.instance = locked
        indicators.save()

    with transaction.atomic():
        saved = workflow.initiative_save(
            initiative=form.save(commit=False), by=request.user, save_related=save_related
        )
        workflow.initiative_results_update(
            initiative=saved,
            by=request.user,
            save_indicators=save_indicators if indicators is not None else None,
            progress_entered=form.cleaned_data.get("progress_entered"),
            reason=form.cleaned_data.get("progress_reason") or "",
        )
    return saved


@workspace_required
def initiative_create(request):
    permissions.check_can_add_initiative(request)
    if request.method == "POST":
        with transaction.atomic():
            return _initiative_form_page(request, Initiative())
    return _initiative_form_page(request, Initiative())


@workspace_required
def initiative_edit(request, pk):
    if request.method == "POST":
        # The row stays locked from the version check to the save: two saves cannot interleave.
        with transaction.atomic():
            initiative = permissions.get_initiative_for_edit(request, pk, lock=True)
            return _initiative_form_page(request, initiative)
    return _initiative_form_page(request, permissions.get_initiative_for_edit(request, pk))


@workspace_required
def initiative_preview(request, pk):
    """The public page of an initiative that residents may not see yet, for staff only."""
    initiative = permissions.get_initiative_for_view(
        request, pk, initiative_detail_queryset(Initiative.objects.all())
    )
    return render(request, "workspace/initiative_preview.html", {"initiative": initiative})


_TRANSITION_SUCCESS = {
    "submit": gettext_lazy("Đã gửi đăng ký; mô hình chờ Đảng ủy phường duyệt."),
    "complete": gettext_lazy("Đã đánh dấu mô hình đã hoàn thành."),
}


def _transition_view(action: str):
    func = workflow.ACTIONS[action]

    @require_POST
    @workspace_required
    def view(request, pk):
        initiative = permissions.get_initiative_for_transition(request, pk, action)
        try:
            func(initiative=initiative, by=request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _TRANSITION_SUCCESS[action])
        return redirect(_detail_url(initiative))

    view.__name__ = f"initiative_{action}"
    return view


initiative_submit = _transition_view("submit")
initiative_complete = _transition_view("complete")


def _publication_view(published: bool):
    @require_POST
    @workspace_required
    def view(request, pk):
        initiative = permissions.get_initiative_for_publication(request, pk)
        try:
            workflow.initiative_set_published(
                initiative=initiative, by=request.user, published=published
            )
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            if published and not initiative.is_public:
                messages.warning(
                    request,
                    _(
                        "Đã bật công khai; người dân sẽ thấy mô hình khi nó được duyệt "
                        "(đang thực hiện, đã hoàn thành hoặc đã dừng)."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Mô hình đã hiện trên trang công khai.")
                    if published
                    else _("Mô hình đã được ẩn khỏi trang công khai."),
                )
        return redirect(_detail_url(initiative))

    view.__name__ = "initiative_publish" if published else "initiative_unpublish"
    return view


initiative_publish = _publication_view(True)
initiative_unpublish = _publication_view(False)


@workspace_required
def oversight_log(request, pk):
    """The inspections, urgings and reminders of one initiative; record a new one."""
    if request.method == "POST":
        initiative = permissions.get_initiative_for_oversight(request, pk)
        form = OversightActivityForm(request.POST)
        if form.is_valid():
            activity = workflow.oversight_record(
                initiative=initiative, by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("Đã ghi lại: %(activity)s.") % {"activity": activity},
            )
            return redirect(reverse("workspace:oversight", args=[initiative.pk]))
    else:
        initiative = permissions.get_initiative_for_view(request, pk)
        form = OversightActivityForm()
    activities = initiative.oversight_activities.select_related("by")
    return render(
        request,
        "workspace/oversight_log.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "activities": activities,
            "today": timezone.localdate(),
            "form": form,
        },
    )


@require_POST
@workspace_required
def oversight_resolve(request, pk):
    activity = permissions.get_oversight_for_change(request, pk)
    try:
        workflow.oversight_resolve(activity=activity, by=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        message = _("Đã đánh dấu xử lý xong: %(activity)s.") % {"activity": activity}
        messages.success(request, message)
    return redirect(
        reverse("workspace:oversight", args=[activity.initiative_id]) + f"#oversight-{activity.pk}"
    )


@workspace_required
def initiative_history_page(request, pk):
    initiative = permissions.get_initiative_for_view(request, pk)
    paginator = Paginator(initiative_history(initiative), HISTORY_PAGE_SIZE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(str(exc)) from None
    return render(
        request,
        "workspace/initiative_history.html",
        {
            "initiative": initiative,
            "caps": InitiativeCapabilities.of(request.user, initiative),
            "page_obj": page_obj,
            "entries": page_obj.object_list,
        },
    )
