"""The public-page cache placed late, after Django's CSRF middleware: the plain-Django way
against which its early place (and its replay of Django's CSRF steps) is measured.

Only the hit differs: the real CsrfViewMiddleware has already read the visitor's cookie
before this runs and sets the cookie on the way out, so the hit only fills in a token.
Used by ``BENCH_PAGE_CACHE=late`` (bench/settings.py); never by the site.
"""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from wardmodels import formclock
from wardmodels.pagecache import PLACEHOLDER, STAMP_PLACEHOLDER, PublicPageCacheMiddleware


class LatePageCacheMiddleware(PublicPageCacheMiddleware):
    def _hit(self, request, headers, body):
        if PLACEHOLDER in body:
            body = body.replace(PLACEHOLDER, get_token(request).encode("ascii"))
        if STAMP_PLACEHOLDER in body:
            body = body.replace(STAMP_PLACEHOLDER, formclock.stamp().encode("ascii"))
        response = HttpResponse(body, headers=headers)
        response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = "hit"
        patch_vary_headers(response, ("Cookie",))
        return response
