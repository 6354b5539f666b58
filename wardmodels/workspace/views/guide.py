"""The officials' guide (/quan-ly/huong-dan/): how to do each task, step by step."""

from django.shortcuts import render

from registry.permissions import workspace_required


@workspace_required
def guide(request):
    return render(request, "workspace/guide.html")
