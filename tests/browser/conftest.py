"""Browser tests: headless Debian Chromium driven by Playwright against the real stack.

Run with ``DOMINO_TEST_STACKS=sqlite-simple .venv/bin/python -m pytest tests/browser``. The
browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own
browser download (``playwright install``) is never used. Mark tests ``@pytest.mark.browser``.

Fixtures (besides the real-stack ones of :mod:`tests.stack`: ``airflow_stack``, ``admin``,
``airflow_api``, ``fixture_repository``, shared with the integration tests so one stack serves both):

``browser`` (session)
    A launched ``playwright.sync_api.Browser``.
``page``
    A fresh page (1280x800, own context) logged in as the admin user through Airflow's
    ``_token`` cookie. Console errors and uncaught page errors are collected into
    ``console_errors`` and fail the test at teardown.
``console_errors``
    The list the ``page`` fixture fills: ``"console.error: …"`` / ``"pageerror: …"`` strings.
    Remove expected entries from it inside the test (``console_errors.clear()``) if a test
    provokes an error on purpose.
``domino``
    A :class:`Domino` helper bound to ``page``:
    ``domino.open("/workflows")`` opens ``<stack>/domino/ui/workflows`` directly and returns the
    page; ``domino.open_in_shell()`` opens Airflow's UI, clicks its "Domino" navigation entry and
    returns the ``Frame`` of the app inside Airflow's shell; ``domino.url(path)`` builds URLs;
    ``domino.screenshot("name")`` saves ``test-artifacts/<name>.png`` (git-ignored).
``screenshot``
    ``screenshot(name, target)``: the same as ``domino.screenshot``, for any page or frame.

A failing test also leaves ``test-artifacts/FAILED-<test name>.png``.

Everything waits with Playwright's auto-waiting ``expect(...)`` assertions; timeouts are long
because the real scheduler runs the tasks.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.stack import USERS, RunningStack

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("DOMINO_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}

# Noise that is not the app's fault: the browser asking for a favicon, Airflow's own UI.
IGNORED_CONSOLE = ("favicon.ico", "Download the React DevTools")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Remember each phase's outcome so ``page`` can screenshot a failing test."""
    report = yield
    setattr(item, f"domino_{report.when}_failed", report.failed)  # type: ignore[attr-defined]
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set DOMINO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    return []


def _save_screenshot(target: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: object,
    airflow_stack: RunningStack,
    console_errors: list[str],
) -> Iterator[object]:
    from playwright.sync_api import ConsoleMessage, Error

    user = USERS["admin"]
    token = airflow_stack.stack.token(user.username, user.password)
    context = browser.new_context(viewport=VIEWPORT, base_url=airflow_stack.stack.url)  # type: ignore[attr-defined]
    context.add_cookies([{"name": "_token", "value": token, "url": airflow_stack.stack.url}])
    context.set_default_timeout(30_000)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(noise in message.text for noise in IGNORED_CONSOLE):
            console_errors.append(f"console.error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Error) -> None:
        console_errors.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    if getattr(request.node, "domino_call_failed", False):
        _save_screenshot(page, f"FAILED-{request.node.name}")
    context.close()
    assert console_errors == [], "the browser reported errors"


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    return lambda name, target: _save_screenshot(target, name)


class Domino:
    def __init__(self, page: object, stack_url: str) -> None:
        self.page = page
        self.stack_url = stack_url

    def url(self, path: str = "/") -> str:
        return f"{self.stack_url}/domino/ui{path if path.startswith('/') else '/' + path}"

    def open(self, path: str = "/") -> object:
        self.page.goto(self.url(path))  # type: ignore[attr-defined]
        return self.page

    def open_in_shell(self) -> object:
        """Airflow's home page, then its "Domino" navigation entry; returns the app's frame."""
        from playwright.sync_api import expect

        page = self.page
        page.goto(f"{self.stack_url}/")  # type: ignore[attr-defined]
        entry = page.get_by_role("link", name="Domino").or_(page.get_by_role("button", name="Domino")).first  # type: ignore[attr-defined]
        expect(entry).to_be_visible(timeout=60_000)
        entry.click()
        frame_element = page.locator("iframe[src*='/domino/ui']")  # type: ignore[attr-defined]
        expect(frame_element).to_be_visible()
        frame = frame_element.element_handle().content_frame()
        assert frame is not None
        return frame

    def screenshot(self, name: str) -> Path:
        return _save_screenshot(self.page, name)


@pytest.fixture
def domino(page: object, airflow_stack: RunningStack) -> Domino:
    return Domino(page, airflow_stack.stack.url)
