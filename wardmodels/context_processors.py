from django.conf import settings


def site(request):
    """What every page needs to know about the site itself."""
    return {"WARD_NAME": settings.WARD_NAME}
