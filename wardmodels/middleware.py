from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    """The language of the response: the visitor's choice (language cookie) or Vietnamese.

    Also what the public-page cache keys a page on (wardmodels/pagecache.py), before this
    middleware runs: both must decide the same way.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language; many residents'
    phones are set to English while they read Vietnamese, so only an explicit choice (the
    language cookie set by /i18n/setlang/) changes the language here.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No "Vary: Accept-Language": the header no longer decides the language (the
        # cookie does, and pages that read cookies already vary on Cookie).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
