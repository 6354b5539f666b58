"""Dependencies run one way: registry ← participation ← campaigns ← the site
(wardmodels.public, .workspace)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ("wardmodels.public", "wardmodels.workspace", "wardmodels.opendata")
FORBIDDEN = {
    "registry": ("campaigns", "participation", *SITE),
    "participation": ("campaigns", *SITE),
    "campaigns": SITE,
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            else:
                found.add(node.module)
    return found


def _sources(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_a_domain_app_imports_nothing_above_it(app):
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in _sources(app)
        for module in _imports(path)
        if module.startswith(FORBIDDEN[app])
    )
    assert wrong == []


def test_the_register_does_not_even_name_the_campaigns():
    """No dotted path in a string either (``import_string("campaigns.…")``)."""
    named = [
        str(path.relative_to(ROOT))
        for path in _sources("registry")
        if "campaigns" in path.read_text(encoding="utf-8")
    ]
    assert named == []


def test_the_register_does_not_even_name_participation():
    named = [
        str(path.relative_to(ROOT))
        for path in _sources("registry")
        if "participation" in path.read_text(encoding="utf-8")
    ]
    assert named == []
