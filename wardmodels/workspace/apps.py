from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The officials' workspace (/quan-ly/) and the sign-in feedback."""

    name = "wardmodels.workspace"
    label = "workspace"

    def ready(self):
        from . import accounts  # noqa: F401  (connects the logout message)
