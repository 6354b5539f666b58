"""The shipped gunicorn configuration logs paths, never query strings (private tokens, searches)."""

import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import KNOWN_SETTINGS, Config
from gunicorn.glogging import Logger, SafeAtoms

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
SECRET = "RjhSgcaraJWm3D_doBi8mlsmJ4IH8NPs"


def _settings() -> dict:
    return {k: v for k, v in runpy.run_path(str(CONFIG)).items() if not k.startswith("_")}


def test_every_name_in_the_config_is_a_gunicorn_setting():
    known = {setting.name for setting in KNOWN_SETTINGS}
    names = {k for k, v in _settings().items() if not isinstance(v, type(runpy))}
    assert names <= known, names - known


def test_the_access_log_format_has_no_query_string_nor_referer():
    fmt = _settings()["access_log_format"]
    assert "%(U)s" in fmt
    for atom in ("%(r)s", "%(q)s", "%(f)s", "{referer}i", "{Referer}i"):
        assert atom not in fmt


def test_a_logged_request_with_a_private_token_keeps_the_token_out_of_the_line():
    cfg = Config()
    for name, value in _settings().items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/gop-y/GY-2026-000001/?t={SECRET}",
        "PATH_INFO": "/gop-y/GY-2026-000001/",
        "QUERY_STRING": f"t={SECRET}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": f"https://dvk.example.vn/gop-y/GY-2026-000001/?t={SECRET}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="302 Found", response_length=0, headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    import datetime as dt

    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=12))
    line = cfg.access_log_format % SafeAtoms(atoms)  # as gunicorn's own access() does
    assert "/gop-y/GY-2026-000001/" in line and "203.0.113.7" in line
    assert SECRET not in line
