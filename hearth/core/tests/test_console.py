"""`make run`'s console: the address printed is the address served, whatever the port."""

from __future__ import annotations

import io

from django.core.management import call_command

from hearth.core.tests.test_settings import load_settings, run_hearth


def test_demo_accounts_prints_the_port_it_was_given(db: None) -> None:
    out = io.StringIO()
    call_command("demo_accounts", port=8123, stdout=out)
    assert "is at http://127.0.0.1:8123" in out.getvalue()


def test_one_port_setting_for_serve_demo_accounts_and_links() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "from hearth.core.management.commands.serve import Command;"
        "parser = Command().create_parser('hearth', 'serve');"
        "print(settings.HEARTH_BASE_URL, parser.parse_args([]).port)"
    )
    result = run_hearth(code, HEARTH_PORT="8765")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8765", "8765"]


def test_a_bad_log_format_fails_loudly() -> None:
    result = load_settings(HEARTH_LOG_FORMAT="xml")
    assert result.returncode != 0 and "HEARTH_LOG_FORMAT" in result.stderr
