"""The dashboard in a real browser (headless Chromium): signing in, filtering and opening an
analysis, a token's secret shown once and the token revoked, the CSRF refusal of a fetch without
the header, no horizontal scroll on a phone, the dark scheme, keyboard focus."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import add_user, sign_in

PAGES = ["/", "/analyses", "/causes", "/pipelines", "/runs", "/tests", "/agents",
         "/settings/tokens", "/settings/users", "/settings/webhooks",
         "/settings/channels"]  # fmt: skip


def test_sign_in_returns_to_the_page_asked_for(browser, site, artifacts) -> None:
    server, t = site
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "/analyses?severity=medium")
    assert "/login?next=" in page.url
    page.screenshot(path=str(artifacts / "login.png"), full_page=True)
    sign_in(page, server.url, add_user(server, t.name, "viewer"), start="/analyses?severity=medium")
    assert page.url.endswith("/analyses?severity=medium")
    assert page.get_by_role("heading", name="Analyses").is_visible()
    assert page.get_by_role("link", name="Settings").count() == 0  # viewers have none
    context.close()


def test_filter_analyses_then_open_one(admin_page, site, artifacts) -> None:
    _, t = site
    page = admin_page
    page.goto("/")
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    assert page.locator("svg[role=img]").first.get_attribute("aria-label").startswith("Failures")
    page.get_by_role("link", name="Analyses").click()
    assert page.locator("table.list tbody tr").count() == 7
    page.get_by_label("Project").fill("acme/api")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"project=acme%2Fapi"))
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 2
    page.screenshot(path=str(artifacts / "analyses-filtered.png"), full_page=True)
    rows.first.locator("td.cause a").click()
    page.wait_for_url(re.compile(r"/analyses/[0-9a-f-]{36}$"))
    cause = page.locator("tr.cause-line")
    assert cause.count() == 1 and cause.is_visible()
    assert "adds an item" in cause.inner_text()
    assert page.get_by_role("link", name="All analyses with this cause").get_attribute(
        "href") == f"/causes/{t.fingerprint}"  # fmt: skip
    page.screenshot(path=str(artifacts / "analysis.png"), full_page=True)


def test_hostile_log_text_stays_text(admin_page, site) -> None:
    _, t = site
    page = admin_page
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(f"/analyses/{t.hostile_id}")
    assert 'onerror=alert("log")' in page.locator("tr.cause-line").inner_text()
    assert page.locator("main img, main script").count() == 0
    assert page.get_by_role("link", name=re.compile("pipeline")).count() == 0  # javascript: URL
    assert alerts == []


def test_token_secret_is_shown_once_then_the_token_is_revoked(admin_page, artifacts) -> None:
    page = admin_page
    page.goto("/settings/tokens")
    page.get_by_label("Name").fill("browser-made")
    page.get_by_label("read").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token secret").input_value()
    assert secret.startswith("cwy_")
    page.screenshot(path=str(artifacts / "token-created.png"), full_page=True)
    page.goto("/settings/tokens")
    assert secret not in page.content()
    row = page.locator("#tokens tr", has_text="browser-made")
    assert row.locator("td").nth(3).inner_text() == "live"
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name=re.compile("Revoke")).click()
    page.get_by_role("status").wait_for()
    assert "revoked" in page.get_by_role("status").inner_text()
    row = page.locator("#tokens tr", has_text="browser-made")
    assert "revoked" in row.locator("td").nth(3).inner_text()
    page.screenshot(path=str(artifacts / "token-revoked.png"), full_page=True)


def test_a_fetch_without_the_csrf_header_is_refused(admin_page) -> None:
    page = admin_page
    page.goto("/settings/tokens")
    post = """async (headers) => {
        const r = await fetch('/settings/tokens/create', {method: 'POST', headers: headers,
            body: new URLSearchParams({name: 'from-fetch', scopes: 'read'})});
        return r.status; }"""
    assert page.evaluate(post, {}) == 403
    assert page.evaluate(post, {"X-CSRF-Token": "forged"}) == 403
    token = page.evaluate("window.ciwhy.csrf()")
    assert token and page.evaluate(post, {"X-CSRF-Token": token}) == 200


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_has_no_horizontal_scroll_in_either_scheme(browser, site, artifacts, scheme):
    server, t = site
    context = browser.new_context(base_url=server.url, color_scheme=scheme,
                                  viewport={"width": 375, "height": 812},
                                  device_scale_factor=2, is_mobile=True,
                                  has_touch=True)  # fmt: skip
    page = context.new_page()
    sign_in(page, server.url, add_user(server, t.name, "admin"))
    for path in [*PAGES, f"/analyses/{t.hostile_id}", f"/runs/{t.run_id}",
                 f"/causes/{t.fingerprint}"]:  # fmt: skip
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    page.goto(f"/analyses/{t.ids[0]}")
    page.screenshot(path=str(artifacts / f"phone-{scheme}-analysis.png"), full_page=True)
    page.goto("/")
    page.screenshot(path=str(artifacts / f"phone-{scheme}-overview.png"), full_page=True)
    page.goto("/settings/channels?kind=slack")
    page.screenshot(path=str(artifacts / f"phone-{scheme}-channels.png"), full_page=True)
    context.close()


def _luminance(css_rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_scheme_renders_dark_with_readable_text(browser, site, artifacts) -> None:
    server, t = site
    context = browser.new_context(base_url=server.url, color_scheme="dark",
                                  viewport={"width": 1280, "height": 900})  # fmt: skip
    page = context.new_page()
    sign_in(page, server.url, add_user(server, t.name, "admin"))
    page.goto(f"/analyses/{t.ids[0]}")
    style = "(e) => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    bg, fg = page.locator("body").evaluate(style)
    assert _luminance(bg) < 0.15 and _luminance(fg) > 0.8
    page.screenshot(path=str(artifacts / "dark-analysis.png"), full_page=True)
    page.goto("/")
    page.screenshot(path=str(artifacts / "dark-overview.png"), full_page=True)
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(admin_page) -> None:
    page = admin_page
    page.goto("/analyses")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
