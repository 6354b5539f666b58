from pathlib import Path, PurePosixPath

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.static import serve


def favicon(request):
    """Pages name their icon in base.html; browsers still ask for /favicon.ico on the admin's
    pages and on a photo opened on its own."""
    return redirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: the site's page, never Django's debug text."""
    return render(request, "403_csrf.html", status=403)


# Public media holds only photos that registry/images.py re-encoded; anything else that ends
# up under media/photos/ (a stray .html, .svg, .js) is not served at all, so no upload can
# ever run as a page of this site.
PUBLIC_IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


def public_media(request, path):
    """Serve a public photo with a content type from its extension, never sniffed.

    ``path`` is relative to MEDIA_ROOT/photos/, the only public folder: ``..`` cannot climb
    out of it into private files (dossiers).
    """
    name = PurePosixPath(path)
    content_type = PUBLIC_IMAGE_TYPES.get(name.suffix.lower())
    if content_type is None or ".." in name.parts or "\\" in path:
        raise Http404("Not a public image")
    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "photos")
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
