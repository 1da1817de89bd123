"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright
for Python, against the app served on a local port.

On every page a journey visits, axe-core checks accessibility (a violation
rated serious or critical fails the test) and the W3C Nu checker checks the
HTML (an error fails the test). With VOLUNTEER_HUB_SCREENSHOTS=1 (``make
screenshots``, and .ci/run), screenshots of the main pages land in
``build/screenshots/`` (the README points there); drawing them is a quarter
of the browser tests' time, so a plain ``make test`` does not.

Needs /usr/bin/chromium (or VOLUNTEER_HUB_CHROMIUM), the axe-core script
(AXE_JS, which `make test` installs with npm) and, for the HTML check,
vnu.jar (VNU_JAR). Without the browser or axe the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, _dispose, fresh_app
from tests.helpers import free_port
from tests.test_html_validity import assert_valid_html
from tests.vnu import Checker
from volunteer_hub.coordinators.services import create_coordinator
from volunteer_hub.demo.seed import seed_demo
from volunteer_hub.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
TAKE_SCREENSHOTS = os.environ.get("VOLUNTEER_HUB_SCREENSHOTS") == "1"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
#: axe-core impact levels that fail a test
FAILING_IMPACTS = ("serious", "critical")
ADMIN_EMAIL = "admin@example.org"


def _chromium() -> str:
    path = os.environ.get("VOLUNTEER_HUB_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip("browser tests need Chromium (Debian's chromium package; .ci/run installs it)")
    return path


def _axe_script() -> str:
    path = os.environ.get("AXE_JS")
    if not path or not Path(path).is_file():
        pytest.skip("browser tests need axe-core: AXE_JS is unset or missing "
                    "(`make test` installs it when npm is present)")
    return Path(path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[str]:
    """The app, with the demo events and an admin, on a free local port: as
    in production, CSRF on; the spam guard's minimum time off."""
    _chromium()
    folder = tmp_path_factory.mktemp("browser")
    database = folder / "volunteer_hub.sqlite3"
    shutil.copyfile(sqlite_template, database)
    port = free_port()
    app = fresh_app(f"sqlite:///{database}", folder)
    app.config.update(WTF_CSRF_ENABLED=True, BASE_URL=f"http://127.0.0.1:{port}")
    with app.app_context():
        seed_demo()
        create_coordinator(ADMIN_EMAIL, "Admin", PASSWORD, admin=True)
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    _dispose(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright for Python (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@dataclass
class Visit:
    """What a journey saw: pages for the HTML checker, accessibility
    problems, and anything the browser complained about."""

    pages: dict[str, str] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


class Journey:
    """A person in the browser: goes to pages, and each page is checked."""

    def __init__(self, page: Any, base_url: str, axe: str, visit: Visit, name: str) -> None:
        self.page, self.base_url, self.axe, self.visit, self.name = (
            page, base_url, axe, visit, name)
        page.on("console", self._console)
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # Chromium reports CSP violations as console errors; failed loads
        # are reported with their address by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.visit.console_errors.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.visit.console_errors.append(f"{response.status} for {response.url}")

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        self.check()
        return response

    def check(self, label: str | None = None) -> None:
        """Run axe-core on the page as it is now, and keep its HTML."""
        page = self.page
        page.wait_for_load_state("load")
        path = page.url.removeprefix(self.base_url).split("?")[0] or "/"
        key = label or f"{self.name}{path}".replace("/", "_")
        if key in self.visit.pages:
            key = f"{key}-{len(self.visit.pages)}"
        self.visit.pages[key] = page.content()
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # a page without the context's init script: add it the same way,
            # through the debugging protocol, not by the page (CSP stays on)
            page.evaluate(self.axe)
        result = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }""")
        for violation in result:
            if violation["impact"] in FAILING_IMPACTS:
                self.visit.violations.append(
                    f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} "
                    f"at {violation['targets']}")

    def screenshot(self, name: str) -> None:
        """A full-page screenshot, when screenshots are asked for."""
        if not TAKE_SCREENSHOTS:
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def journey(browser: Any, live_server: str, vnu_checker: Checker | str,
            tmp_path: Path) -> Iterator[Any]:
    """Start a journey: ``journey()`` gives a fresh browser profile (phone or
    desktop, a language); after the test every page visited is checked."""
    axe = _axe_script()
    visit = Visit()
    contexts = []

    def start(name: str = "visitor", *, viewport: dict[str, int] = DESKTOP,
              locale: str = "en-GB") -> Journey:
        context = browser.new_context(viewport=viewport, locale=locale,
                                      base_url=live_server)
        context.set_default_timeout(10_000)
        # axe-core comes with every page, from the debugging protocol (so the
        # page's CSP stays on); compiled once, not once per page
        context.add_init_script(script=axe)
        contexts.append(context)
        return Journey(context.new_page(), live_server, axe, visit, name)

    yield start
    for context in contexts:
        context.close()
    assert not visit.console_errors, visit.console_errors
    assert not visit.violations, "\n".join(visit.violations)
    if not isinstance(vnu_checker, str):
        assert_valid_html(vnu_checker, visit.pages, tmp_path / "pages")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests, the slowest of the suite, go first: pytest-xdist's
    workers then share out the short tests as they finish, instead of one
    worker starting a long journey while the other has nothing left."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/browser/"))
