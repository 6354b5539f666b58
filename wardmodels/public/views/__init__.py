"""The residents' pages, one module per topic."""

from django.shortcuts import render


def not_found(request, detail: str):
    """The site's 404 page with one sentence saying what was wrong with the address."""
    return render(request, "404.html", {"detail": detail}, status=404)
