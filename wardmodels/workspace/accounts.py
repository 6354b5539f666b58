"""Login and logout feedback (Django's own auth views do the work)."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils.translation import gettext as _


@receiver(user_logged_out, dispatch_uid="workspace.accounts.say_logged_out")
def say_logged_out(sender, request, user, **kwargs):
    """LOGOUT_REDIRECT_URL sends the user home; tell them the logout worked.

    Only a message (the messages cookie outlives the flushed session): no state changes here.
    """
    if request is not None:
        messages.info(request, _("Bạn đã đăng xuất. Hẹn gặp lại!"), fail_silently=True)
