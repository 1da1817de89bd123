"""In production the app will not start without a strong secret key of its
own, and says how to set one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from volunteer_hub import ConfigurationError, create_app

STRONG = "5f0c1d7e9a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b"


@pytest.mark.parametrize("secret", [None, "", "dev", "change-me",
                                    "test-secret-key-not-for-production", "short-but-random-12"])
def test_production_refuses_a_missing_or_weak_secret(tmp_path, secret):
    with pytest.raises(ConfigurationError, match="VOLUNTEER_HUB_SECRET_KEY"):
        create_app({"PRODUCTION": True, "SECRET_KEY": secret,
                    "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                   instance_path=str(tmp_path))
    assert not (tmp_path / "secret_key").exists()  # no key of its own either


def test_production_starts_with_a_strong_secret(tmp_path):
    app = create_app({"PRODUCTION": True, "SECRET_KEY": STRONG,
                      "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                     instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == STRONG


def test_outside_production_a_key_is_made_and_kept(tmp_path):
    first = create_app({"SECRET_KEY": None, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                       instance_path=str(tmp_path))
    again = create_app({"SECRET_KEY": None, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
                       instance_path=str(tmp_path))
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"]


def test_the_command_line_says_how_to_set_the_key(tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("VOLUNTEER_HUB_")}
    environment |= {"VOLUNTEER_HUB_PRODUCTION": "1",
                    "VOLUNTEER_HUB_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "volunteer_hub", "routes"],
                            env=environment, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode != 0
    assert "secrets.token_hex(32)" in result.stderr
    assert "/events/<slug>" not in result.stdout
