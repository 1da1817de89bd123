"""The W3C Nu HTML checker (vnu) as a web service on a local port, for tests.

Starting the JVM and reading vnu's schemas takes seconds, and checking a
page after that takes milliseconds: so the checker starts once per test run,
in the background, as soon as a selected test is known to need it, and
every test sends its pages to the same service. Under pytest-xdist the
workers share one checker: the first to need it starts it, and the
controller stops it when every worker is done.

`make test` installs vnu.jar into .cache/vnu/ when npm and java are on the
machine and passes its path in VNU_JAR.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.helpers import free_port

#: Starting the JVM and reading the schemas and the spec takes a few seconds
#: (more on a busy machine); checking a page after that is quick.
STARTUP_TIMEOUT_SECONDS = 180
CHECK_TIMEOUT_SECONDS = 60
#: The quick JIT compiler alone starts the service with half the CPU time;
#: its deeper stack needs -Xss, as vnu's schemas recurse deeply.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")
#: A page for the first request, which loads what the next ones reuse.
WARM_UP_PAGE = b"<!DOCTYPE html><html lang=en><title>warm-up</title><p>Hello"
#: Set by the pytest-xdist controller for its workers: the folder where the
#: first worker to need the checker says where it runs.
SHARED = "VOLUNTEER_HUB_TEST_VNU_FOLDER"


def unavailable() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    jar = os.environ.get("VNU_JAR")
    if not jar:
        return "VNU_JAR is not set: `make test` sets it when npm and java are installed"
    if not Path(jar).is_file():
        return (f"VNU_JAR points at {jar}, which does not exist "
                "(`make test` installs it when npm and java are installed)")
    if shutil.which("java") is None:
        return "java is not installed: the Nu HTML checker needs it"
    return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # ended, but not yet waited for by its parent (Linux)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _end(pid: int) -> None:
    """Stop a process, by force if it takes more than ten seconds."""
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not _running(pid):
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Checker:
    """The checker's service on ``port``, run by process ``pid`` (whose
    output goes to ``log``); ``check`` sends it one page."""

    def __init__(self, port: int, pid: int, log: Path,
                 process: subprocess.Popen[bytes] | None = None) -> None:
        self.port, self.pid, self.log, self._process = port, pid, log, process
        self.url = f"http://127.0.0.1:{port}/?out=json&level=error"
        self._ready = threading.Event()
        self._failure: str | None = None
        threading.Thread(target=self._warm_up, name="vnu-warm-up", daemon=True).start()

    @classmethod
    def launch(cls, folder: Path) -> Checker:
        """Start the checker in the background; its output goes to ``folder``."""
        port, log = free_port(), folder / "vnu.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [shutil.which("java") or "java", *JVM_OPTIONS,
                 "-Dnu.validator.servlet.bind-address=127.0.0.1",
                 "-cp", os.environ["VNU_JAR"], "nu.validator.servlet.Main", str(port)],
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        return cls(port, process.pid, log, process)

    def _stopped(self) -> bool:
        if self._process is not None:
            return self._process.poll() is not None
        return not _running(self.pid)

    def _warm_up(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        try:
            while True:
                try:
                    self._post(WARM_UP_PAGE)
                    break
                except (ConnectionError, urllib.error.URLError):
                    if self._stopped():
                        raise RuntimeError("the checker stopped") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError("the checker did not start in time") from None
                    time.sleep(0.2)
        except Exception as error:  # reported by check(), to the test
            self._failure = f"{error}; its output:\n{self._output()}"
        finally:
            self._ready.set()

    def _post(self, html: bytes) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url, data=html, method="POST",
            headers={"Content-Type": "text/html; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT_SECONDS) as response:
            return json.load(response)

    def _output(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError as error:
            return str(error)

    def check(self, html: str) -> list[dict[str, Any]]:
        """The errors the checker finds in a page (its warnings are left out,
        as with vnu's ``--errors-only``)."""
        self._ready.wait(STARTUP_TIMEOUT_SECONDS + CHECK_TIMEOUT_SECONDS)
        if self._failure is not None:
            raise RuntimeError(f"the W3C checker could not start: {self._failure}")
        report = self._post(html.encode())
        return [message for message in report["messages"] if message.get("type") != "info"]

    def stop(self) -> None:
        _end(self.pid)
        if self._process is not None:
            self._process.wait()


_checker: Checker | None = None
#: The folder for the checker's output and, under pytest-xdist, where it
#: runs, when this process is the one to remove it (``stop``).
_folder: Path | None = None


def share_with_workers() -> None:
    """In the pytest-xdist controller: let the workers share one checker."""
    global _folder
    _folder = Path(tempfile.mkdtemp(prefix="vnu-"))
    os.environ[SHARED] = str(_folder)


def start() -> Checker | str:
    """The checker of this test run (started now, in the background, if it
    is not running yet), or why there is none."""
    global _checker, _folder
    if _checker is None:
        reason = unavailable()
        if reason is not None:
            return reason
        shared = os.environ.get(SHARED)
        if shared is None:
            _folder = Path(tempfile.mkdtemp(prefix="vnu-"))
            _checker = Checker.launch(_folder)
        else:
            _checker = _shared_checker(Path(shared))
    return _checker


def _shared_checker(folder: Path) -> Checker:
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        where = folder / "checker.json"
        if where.exists():
            found = json.loads(where.read_text())
            return Checker(found["port"], found["pid"], folder / "vnu.log")
        checker = Checker.launch(folder)
        where.write_text(json.dumps({"port": checker.port, "pid": checker.pid}))
        return checker


def stop() -> None:
    """At the end of the run, stop the checker if this process is the one to:
    the process that started it, or under pytest-xdist the controller (the
    workers' checker outlives the worker that started it)."""
    global _checker, _folder
    if _folder is not None:
        where = _folder / "checker.json"
        if _checker is not None:
            _checker.stop()
        elif where.exists():
            _end(json.loads(where.read_text())["pid"])
        shutil.rmtree(_folder, ignore_errors=True)
    _checker = _folder = None
