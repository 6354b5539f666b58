"""The deploy kit is complete: every variable the settings read is in .env.example, every
timer starts a unit that runs a command that exists."""

import configparser
import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "deploy"


def _read_variables(*sources: Path) -> set[str]:
    pattern = re.compile(r'(?:env_\w+\(\s*|environ\.get\(\s*|getenv\(\s*)"([A-Z][A-Z0-9_]+)"')
    return {name for source in sources for name in pattern.findall(source.read_text("utf-8"))}


def test_env_example_lists_every_variable_the_site_reads():
    read = _read_variables(ROOT / "wardmodels" / "settings.py", KIT / "gunicorn.conf.py")
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+):[-?]", (KIT / "backup.sh").read_text("utf-8")))
    example = (KIT / ".env.example").read_text("utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "PAGE_CACHE_SECONDS"} <= read
    assert read - {"PYTHON"} <= listed, sorted(read - listed)


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def test_every_timer_starts_a_unit_whose_command_exists():
    timers = sorted((KIT / "systemd").glob("*.timer"))
    assert {t.stem for t in timers} == {
        "wardmodels-backup",
        "wardmodels-erase-contacts",
        "wardmodels-clearsessions",
        "wardmodels-axes-cleanup",
    }
    commands = get_commands()
    for timer in timers:
        assert _unit(timer)["Timer"]["OnCalendar"]
        service = _unit(timer.with_suffix(".service"))["Service"]
        assert service["Type"] == "oneshot" and service["User"] == "wardmodels"
        command = service["ExecStart"].split()
        if "django" in command:
            assert command[command.index("django") + 1] in commands, command
        else:
            assert command[0].endswith("backup.sh") and (KIT / "backup.sh").is_file()
    site = _unit(KIT / "systemd" / "wardmodels.service")["Service"]
    assert "gunicorn.conf.py wardmodels.wsgi" in site["ExecStart"]
