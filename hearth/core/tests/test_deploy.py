"""Production configuration passes Django's deploy checks, and the deploy/ files agree with each other.

The deploy stack itself (PostgreSQL, Redis, two web processes, a worker, nginx with TLS) is started and
checked by deploy/test-stack.sh, a step of scripts/test.sh.
"""

from __future__ import annotations

import re
from pathlib import Path

from hearth.core.tests.test_settings import FIELD_KEY, GOOD_KEY, run_hearth

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def test_check_deploy_is_clean_in_production_mode() -> None:
    code = "from django.core.management import execute_from_command_line as run; run(['hearth', 'check', '--deploy', '--fail-level', 'WARNING'])"
    result = run_hearth(
        code,
        HEARTH_MODE="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="care.example.org",
        HEARTH_FIELD_KEY=FIELD_KEY,
        CSRF_TRUSTED_ORIGINS="https://care.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _without(text: str, *patterns: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [line for line in lines if not any(re.search(p, line) for p in patterns)]


def test_the_compose_proxy_is_the_tested_proxy_with_other_upstreams_and_certificates() -> None:
    differ = (r"^\s*server (127\.0\.0\.1|web\d):", r"ssl_certificate")
    tested = _without((DEPLOY / "nginx" / "hearth.conf").read_text(), *differ)
    compose = _without((DEPLOY / "nginx" / "compose.conf").read_text(), *differ)
    assert compose == tested


def test_every_variable_in_the_deploy_examples_is_documented() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    for example in ("systemd/hearth.env.example", "compose.env.example"):
        found = re.findall(r"^([A-Z][A-Z0-9_]+)=", (DEPLOY / example).read_text(), re.M)
        names = {name.removesuffix("_FILE") for name in found}  # NAME_FILE is NAME read from a file
        assert names - {"POSTGRES_PASSWORD"} <= documented, (example, names - documented)
