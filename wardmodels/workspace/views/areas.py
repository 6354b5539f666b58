"""Residential areas (khu phố, tổ dân phố, cụm dân cư): listed, added and renamed by officials.

A model's form offers the areas of its ward; an area missing there is added here, without
the admin.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from registry import permissions, workflow
from registry.forms import ResidentialAreaForm
from registry.models import ResidentialArea
from registry.permissions import workspace_required

from .common import page


@workspace_required
def area_list(request):
    permissions.check_can_view_areas(request)
    areas = ResidentialArea.objects.select_related("admin_unit").order_by(
        "admin_unit__name", "kind", "name", "pk"
    )
    return render(
        request,
        "workspace/area_list.html",
        {
            "page_obj": page(request, areas),
            "can_add": request.user.has_perm(permissions.ADD_AREA),
            "can_change": request.user.has_perm(permissions.CHANGE_AREA),
        },
    )


def _area_form_page(request, area: ResidentialArea):
    is_new = area.pk is None
    form = ResidentialAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        saved = workflow.residential_area_save(area=form.save(commit=False), by=request.user)
        message = _("Đã thêm %(area)s.") if is_new else _("Đã lưu %(area)s.")
        messages.success(request, message % {"area": saved})
        return redirect(reverse("workspace:area-list") + f"#area-{saved.pk}")
    return render(
        request, "workspace/area_form.html", {"form": form, "area": None if is_new else area}
    )


@workspace_required
def area_create(request):
    permissions.check_can_add_area(request)
    return _area_form_page(request, ResidentialArea())


@workspace_required
def area_edit(request, pk):
    return _area_form_page(request, permissions.get_area_for_edit(request, pk))
