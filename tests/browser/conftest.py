"""Browser tests: Playwright (Python) driving Debian's Chromium against the real server
(tests/service/conftest.py's, started by `dashboard_server`), one seeded tenant with a user of
each role. Screenshots go to tests/browser/artifacts/ (not committed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.conftest import Server
from tests.service.test_dashboard import PASSWORD, Tenant, add_user, dashboard_server, seed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).with_name("artifacts")

__all__ = ["PASSWORD", "Server", "Tenant", "add_user"]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Tenant]]:
    with dashboard_server(tmp_path_factory.mktemp("browser"), "sqlite") as srv:
        yield srv, seed(srv)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Package-scoped: Playwright's sync API holds an event loop in the main thread while it
    is open, which later tests that call asyncio.run() must not find running."""
    if not Path(CHROMIUM).exists():  # `make test` installs it; never pass by skipping
        pytest.fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page, base: str, email: str, start: str = "/") -> None:  # type: ignore[no-untyped-def]
    page.goto(base + start)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def admin_page(browser, site):  # type: ignore[no-untyped-def]
    """A page signed in as a fresh admin of the seeded tenant."""
    server, t = site
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    sign_in(page, server.url, add_user(server, t.name, "admin"))
    yield page
    context.close()
