"""The wheel, installed as a contractor would: built from this checkout, installed with the
locked requirements into a fresh virtual environment outside it, and serving the site from an
empty folder with production settings behind gunicorn.

About a minute with pip's cache warm (it reuses downloaded packages; a fresh machine fetches
them once from the registry). ``-m "not package"`` leaves it out of a quick local run.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.package


def _run(*args, cwd, env=None, timeout=600):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding the locked requirements and the wheel, nothing from the checkout."""
    base = tmp_path_factory.mktemp("package")
    dist = base / "dist"
    had_build = (ROOT / "build").exists()
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT, cwd=base)
    if not had_build:  # setuptools' scratch folder in the checkout
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = dist.glob("wardmodels-*.whl")
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    lock = ROOT / "requirements.lock"
    _run(python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", lock, cwd=base)
    _run(python, "-m", "pip", "install", "--quiet", "--no-deps", wheel, cwd=base)
    return env_dir, wheel


def test_the_wheel_carries_every_app_and_the_site_files(installed):
    _env_dir, wheel = installed

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wardmodels/settings.py" in names and "wardmodels/workspace/urls.py" in names
    for app in ("registry", "participation", "campaigns"):
        assert f"{app}/__init__.py" in names and f"{app}/apps.py" in names
        assert any(n.startswith(f"{app}/migrations/0001_") for n in names)
    site = "wardmodels/_site/"
    for folder in ("templates", "static", "fixtures"):
        expected = {
            site + path.relative_to(ROOT).as_posix()
            for path in (ROOT / folder).rglob("*")
            if path.is_file()
        }
        assert expected and expected <= names, sorted(expected - names)[:5]
    assert site + "locale/en/LC_MESSAGES/django.mo" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_the_installed_wheel_serves_the_site_from_an_empty_folder(installed, tmp_path):
    env_dir, _wheel = installed
    bin_dir = env_dir / "bin"
    site = tmp_path / "site"
    site.mkdir()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "wardmodels.settings",
        "DJANGO_SECRET_KEY": "package-test-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": "sqlite:///site.sqlite3",
    }
    python = bin_dir / "python"
    # The code comes from the venv, not from the checkout.
    where = _run(
        python,
        "-c",
        "import wardmodels, participation; print(wardmodels.__file__)",
        cwd=site,
        env=env,
    )
    assert str(env_dir) in where and str(ROOT) not in where
    _run(python, "-m", "django", "migrate", "--noinput", cwd=site, env=env)
    _run(python, "-m", "django", "collectstatic", "--noinput", cwd=site, env=env)
    _run(python, "-m", "django", "load_demo", cwd=site, env=env)
    assert (site / "site.sqlite3").is_file() and (
        site / "staticfiles" / "staticfiles.json"
    ).is_file()

    port = _free_port()
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py", "wardmodels.wsgi"],
        cwd=site,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (
                    "gunicorn did not start"
                )
                time.sleep(0.3)

        status, _type, home = _get(base + "/")
        page = home.decode()
        assert status == 200 and "Dân vận khéo" in page
        slug = re.search(r'href="/mo-hinh/([a-z0-9-]+)/"', page).group(1)
        status, _type, model = _get(f"{base}/mo-hinh/{slug}/")
        assert status == 200 and "<h1" in model.decode()

        css = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", css), css  # the manifest's hashed name
        status, content_type, body = _get(base + css)
        assert status == 200 and content_type.startswith("text/css")
        assert (
            body == next((site / "staticfiles").glob("css/" + css.rsplit("/", 1)[1])).read_bytes()
        )

        status, _type, login = _get(base + "/admin/login/")
        assert status == 200 and 'name="password"' in login.decode()

        status, content_type, health = _get(base + "/healthz")
        assert status == 200 and content_type == "application/json", health
        assert json.loads(health)["status"] == "ok"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    # The access log names paths without their query strings.
    assert re.search(r'"GET /healthz" 200', output), output[-2000:]
    shutil.rmtree(site, ignore_errors=True)
