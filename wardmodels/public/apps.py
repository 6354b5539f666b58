from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The residents' pages: home, the registry and each model, the public summary."""

    name = "wardmodels.public"
    label = "public"
