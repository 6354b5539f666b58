"""Every URL pattern of the project, found by walking the URL resolver.

Shared by the tests that must cover every URL, so that a page added later is covered by all
of them at once: the access table (tests/security/test_url_access.py), the security headers
(tests/security/test_headers.py), the privacy walk (tests/campaigns/test_privacy.py) and the
bad-input fuzz (tests/security/test_url_fuzz.py, admin included).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN = "admin"  # Django's admin include counts as one entry (its own tests walk it)

# Not public: the admin, authentication, the workspace, the language switch (POST).
PRIVATE_PREFIXES = ("admin/", "accounts/", "quan-ly/", "i18n/")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name, its route and the keyword arguments it takes."""

    name: str  # "namespace:name"; ADMIN for the admin; "<unnamed …>" for a nameless pattern
    route: str  # the full route from the site root, e.g. "mo-hinh/<slug:slug>/"
    params: tuple[str, ...]  # every URL keyword argument, in order

    @property
    def public(self) -> bool:
        return not self.route.removeprefix("^").startswith(PRIVATE_PREFIXES)


def project_routes(*, admin: bool = False) -> list[Route]:
    """Every URL pattern of the project, in resolver order; the admin include is one entry,
    or, with ``admin=True``, every pattern of the admin (each model's list, add, change…)."""
    routes: list[Route] = []

    def walk(patterns, namespace: str | None, prefix: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            found = params + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin" and not admin:
                    routes.append(Route(ADMIN, route, found))
                    continue
                inner = entry.namespace
                walk(
                    entry.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else (inner or namespace),
                    route,
                    found,
                )
            elif isinstance(entry, URLPattern):
                if not entry.name:
                    name = f"<unnamed {entry.pattern}>"
                else:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                routes.append(Route(name, route, found))

    walk(get_resolver().url_patterns, None, "", ())
    return routes


def project_url_names() -> set[str]:
    """Every named URL pattern of the project; the admin include counts as one name."""
    return {route.name for route in project_routes()}
