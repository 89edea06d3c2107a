"""The settings module refuses unsafe production configuration and reads the environment strictly."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

from hearth import conf
from hearth import settings as settings_module

GOOD_KEY = "k3y-" + "abcdefghij0123456789ABCDEFGHIJ" * 2
FIELD_KEY = "ZmllbGQta2V5LWZvci10ZXN0cy0zMi1ieXRlcy0wMDA="  # a Fernet key: 32 bytes, url-safe base64


@dataclass
class Loaded:
    """What starting Hearth with some environment gave: like a process's exit status and output."""

    returncode: int
    stdout: str
    stderr: str


def _environment(env: dict[str, str]) -> dict[str, str]:
    """A laptop's empty environment (nothing of Hearth's configuration from this one) with ``env`` set."""
    prefixes = ("HEARTH_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    clean["HEARTH_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "hearth-settings-test")
    return {**clean, **env}


def run_hearth(code: str, /, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter set up with only ``env`` (for what needs a whole Django: checks, commands)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "hearth.settings", **_environment(env)},
        capture_output=True,
        text=True,
    )


def load_settings(**env: str) -> Loaded:
    """Run the settings module afresh with only ``env`` set (a laptop's empty environment otherwise).

    In this process (a fresh interpreter per case cost a second each on a busy machine): the module is
    executed from its file as a new module, so nothing is cached from the settings the tests run with.
    """
    with mock.patch.dict(os.environ, _environment(env), clear=True):
        try:
            s = runpy.run_path(str(Path(settings_module.__file__)), run_name="hearth_settings_under_test")
        except Exception as exc:
            return Loaded(1, "", f"{type(exc).__name__}: {exc}")
    shown = [str(s["DEBUG"]), s["DATABASES"]["default"]["ENGINE"], s["CHANNEL_LAYERS"]["default"]["BACKEND"]]
    return Loaded(0, " ".join(shown), "")


def test_laptop_defaults_need_no_configuration() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "hearth.core.layers.InMemoryChannelLayer"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "care.example.org"}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "care.example.org"}, "needs a real SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "care.example.org", "DEBUG": "true"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_configuration(env: dict[str, Any], message: str) -> None:
    result = load_settings(HEARTH_MODE="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_starts_with_a_real_key_and_hosts(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(GOOD_KEY)
    result = load_settings(
        HEARTH_MODE="production",
        SECRET_KEY_FILE=str(key_file),
        ALLOWED_HOSTS="care.example.org",
        HEARTH_FIELD_KEY=FIELD_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_production_refuses_to_start_without_the_answer_encryption_key(tmp_path: Path) -> None:
    result = load_settings(HEARTH_MODE="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="care.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "needs HEARTH_FIELD_KEY" in result.stderr
    key_file = tmp_path / "field-key"
    key_file.write_text(FIELD_KEY + "\n")
    result = load_settings(
        HEARTH_MODE="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="care.example.org",
        HEARTH_FIELD_KEY_FILE=str(key_file),
    )
    assert result.returncode == 0, result.stderr


def test_database_and_redis_urls_switch_backends() -> None:
    result = load_settings(DATABASE_URL="postgres://u:p@db.internal:5432/hearth", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:] == [
        "django.db.backends.postgresql",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
    ]
    lists = load_settings(REDIS_URL="redis://127.0.0.1:6379/0", HEARTH_REDIS_LAYER="lists")
    assert lists.stdout.split()[2] == "channels_redis.core.RedisChannelLayer"
    wrong = load_settings(REDIS_URL="redis://127.0.0.1:6379/0", HEARTH_REDIS_LAYER="carrier-pigeon")
    assert wrong.returncode != 0 and "HEARTH_REDIS_LAYER" in wrong.stderr


@pytest.mark.parametrize(
    ("env", "message"), [({"DEBUG": "perhaps"}, "true or false"), ({"HEARTH_MODE": "staging"}, "HEARTH_MODE")]
)
def test_bad_values_fail_loudly(env: dict[str, Any], message: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0 and message in result.stderr


def test_env_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_INT", "12")
    assert conf.env_int("X_INT", 3) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        conf.env_int("X_INT", 3)
    monkeypatch.setenv("X_LIST", "a.org, b.org,,")
    assert conf.env_list("X_LIST") == ["a.org", "b.org"]
    monkeypatch.setenv("X_JSON", "[1, 2")
    with pytest.raises(ImproperlyConfigured, match="valid JSON"):
        conf.env_json("X_JSON", None)
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        conf.env_secret("X_SECRET")
