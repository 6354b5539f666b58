"""A model's progress timeline (/mo-hinh/<slug>/tien-do/): its published milestones, newest
first, with before/after photos; withdrawn ones keep a line with the reason. Printable."""

from django.shortcuts import get_object_or_404, render

from registry.models import Initiative
from registry.queries import public_timeline


def initiative_timeline(request, slug):
    initiative = get_object_or_404(
        Initiative.objects.public().select_related("field__parent"), slug=slug
    )
    return render(
        request,
        "registry/initiative_timeline.html",
        {"initiative": initiative, "milestones": public_timeline(initiative)},
    )
