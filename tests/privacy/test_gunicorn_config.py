"""gunicorn.conf.py: no access log unless asked, and then one without
addresses, paths or referrers (SECURITY.md)."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
#: gunicorn's atoms that name the client or carry a path (and so a token)
FORBIDDEN_ATOMS = {"h", "r", "U", "q", "f", "a", "u"}


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ("VOLUNTEER_HUB_BIND", "HOST", "PORT", "VOLUNTEER_HUB_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_no_access_log_by_default(monkeypatch):
    settings = load(monkeypatch)
    assert settings["accesslog"] is None


def test_an_access_log_asked_for_names_neither_client_nor_path(monkeypatch):
    settings = load(monkeypatch, VOLUNTEER_HUB_ACCESS_LOG="-")
    assert settings["accesslog"] == "-"
    atoms = set(re.findall(r"%\(([^)]+)\)s", settings["access_log_format"]))
    assert atoms and not atoms & FORBIDDEN_ATOMS
    assert not any(atom.endswith(("}i", "}e")) for atom in atoms)


def test_listens_on_loopback_unless_told(monkeypatch):
    assert load(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert load(monkeypatch, HOST="0.0.0.0", PORT="9000")["bind"] == ["0.0.0.0:9000"]
    assert load(monkeypatch, VOLUNTEER_HUB_BIND="unix:/run/hub.sock, 127.0.0.1:8001")[
        "bind"] == ["unix:/run/hub.sock", "127.0.0.1:8001"]


def test_each_worker_builds_its_own_app(monkeypatch):
    settings = load(monkeypatch)
    assert settings["preload_app"] is False
    assert settings["wsgi_app"] == "volunteer_hub:create_app()"
    assert settings["workers"] >= 2


def test_a_single_threaded_worker_per_core_and_one_more_unless_told(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    settings = load(monkeypatch)
    assert settings["workers"] == len(os.sched_getaffinity(0)) + 1
    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)
    told = load(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert (told["workers"], told["threads"], told["worker_class"]) == (3, 4, "gthread")


def test_each_worker_warms_up_then_sets_its_objects_aside_from_collection(monkeypatch):
    import gc

    settings = load(monkeypatch)
    warmed = []
    monkeypatch.setattr("volunteer_hub.caching.warm_up", warmed.append)
    worker = type("Worker", (), {"wsgi": object()})()
    before = gc.get_threshold()
    try:
        settings["post_worker_init"](worker)
        assert warmed == [worker.wsgi]
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == settings["GC_THRESHOLD"] == (7000, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
