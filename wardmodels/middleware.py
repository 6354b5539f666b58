from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language; many residents'
    phones are set to English while they read Vietnamese, so only an explicit choice (the
    language cookie set by /i18n/setlang/) changes the language here.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No "Vary: Accept-Language": the header no longer decides the language (the
        # cookie does, and pages that read cookies already vary on Cookie).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
