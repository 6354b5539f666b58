"""deploy/nginx/ for real: Debian's nginx on loopback in front of gunicorn serves a static
file and a public photo itself, refuses private files and anything but photos under /media/,
and passes the scheme so that DJANGO_HTTPS=on redirects plain http and serves https.

Needs the nginx binary (`apt-get install nginx-light`; .ci/run installs it). Skipped without
it, except in CI, where it fails.
"""

import http.client
import io
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.package

if NGINX is None:
    if os.environ.get("CI"):
        pytest.fail("nginx is missing in CI (apt-get install nginx-light)", pytrace=False)
    pytest.skip("nginx is not installed (apt-get install nginx-light)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, f"{what} did not start"
            time.sleep(0.2)


def _get(port, path, headers=None, tls=False):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("nginx")
    data = base / "srv"
    (data / "media" / "photos").mkdir(parents=True)
    (data / "private_media" / "dossiers").mkdir(parents=True)
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(photo, "JPEG")
    (data / "media" / "photos" / "hoa.jpg").write_bytes(photo.getvalue())
    (data / "media" / "photos" / "trap.html").write_text("<script>alert(1)</script>")
    (data / "private_media" / "dossiers" / "ho-so.pdf").write_bytes(b"%PDF-1.4 private")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wardmodels.settings",
        "DJANGO_SECRET_KEY": "nginx-test-" + "x" * 50,
        "DJANGO_DEBUG": "off",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "CACHE_URL": "locmem://",
        "STATIC_ROOT": str(data / "staticfiles"),
        "MEDIA_ROOT": str(data / "media"),
        "PRIVATE_MEDIA_ROOT": str(data / "private_media"),
        "DJANGO_HTTPS": "on",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
        "SERVE_MEDIA": "off",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            capture_output=True, timeout=300,
        )  # fmt: skip

    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py",
         "wardmodels.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", base / "key.pem", "-out", base / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    locations = (ROOT / "deploy" / "nginx" / "locations.conf").read_text("utf-8")
    (base / "locations.conf").write_text(locations.replace("/srv/wardmodels/", f"{data}/"))
    (base / "nginx.conf").write_text(f"""
user root;
daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log {base}/access.log;
    client_body_temp_path {base}/body; proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fcgi; uwsgi_temp_path {base}/uwsgi; scgi_temp_path {base}/scgi;
    upstream wardmodels {{ server 127.0.0.1:{app_port}; }}
    server {{ listen 127.0.0.1:{http_port}; server_name localhost;
             include {base}/locations.conf; }}
    server {{ listen 127.0.0.1:{https_port} ssl; server_name localhost;
             ssl_certificate {base}/cert.pem; ssl_certificate_key {base}/key.pem;
             include {base}/locations.conf; }}
}}
""")
    nginx = subprocess.Popen(
        [NGINX, "-c", base / "nginx.conf", "-p", base], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait(app_port, gunicorn, "gunicorn")
        _wait(http_port, nginx, "nginx")
        yield {"http": http_port, "https": https_port, "app": app_port, "data": data}
    finally:
        nginx.terminate()
        gunicorn.terminate()
        nginx.wait(timeout=30)
        gunicorn.wait(timeout=30)


def test_nginx_serves_static_files_itself_with_a_long_cache(site):
    response, body = _get(site["https"], "/", tls=True)
    assert response.status == 200
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    response, body = _get(site["http"], css)
    assert response.status == 200 and response.getheader("Content-Type") == "text/css"
    assert "immutable" in response.getheader("Cache-Control")
    assert body == (site["data"] / "staticfiles" / css.removeprefix("/static/")).read_bytes()


def test_nginx_serves_a_public_photo_and_nothing_else_under_media(site):
    response, body = _get(site["http"], "/media/photos/hoa.jpg")
    assert response.status == 200 and response.getheader("Content-Type") == "image/jpeg"
    assert body == (site["data"] / "media" / "photos" / "hoa.jpg").read_bytes()
    assert _get(site["http"], "/media/photos/trap.html")[0].status == 404
    response, body = _get(
        site["https"], "/media/photos/../../private_media/dossiers/ho-so.pdf", tls=True
    )
    assert response.status in {400, 404} and b"%PDF" not in body


def test_nginx_never_serves_a_private_file(site):
    for path in (
        "/media/dossiers/ho-so.pdf",
        "/private_media/dossiers/ho-so.pdf",
        "/static/../private_media/dossiers/ho-so.pdf",
    ):
        response, body = _get(site["https"], path, tls=True)
        assert response.status in {400, 404}, path
        assert b"%PDF" not in body


def test_the_scheme_is_passed_so_https_redirects_behave(site):
    # Plain http: the app sees http (whatever the client claims) and redirects to https.
    for headers in ({}, {"X-Forwarded-Proto": "https"}):
        response, _body = _get(site["http"], "/mo-hinh/", headers)
        assert response.status == 301
        assert response.getheader("Location") == "https://localhost/mo-hinh/"
    # Over https: served, with HSTS, no redirect loop.
    response, _body = _get(site["https"], "/mo-hinh/", tls=True)
    assert response.status == 200
    assert "max-age=" in response.getheader("Strict-Transport-Security")
    # Monitoring over plain http is answered, not redirected.
    response, body = _get(site["http"], "/healthz")
    assert response.status == 200 and b'"status": "ok"' in body
