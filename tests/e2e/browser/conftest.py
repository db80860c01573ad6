"""One platform and one headless Chromium per module: Debian's chromium, driven by
Playwright, never a browser Playwright downloads itself.

Run by plain pytest (`make test-browser`), not `nameko test`: under eventlet's
monkey-patching Playwright's sync API hangs at random while it waits for the
browser, and these tests need no eventlet, since they drive the platform from outside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.platform import REPO, start_platform, stop_platform

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]


@pytest.fixture(scope="module", autouse=True)
def without_eventlet():
    import eventlet.patcher

    if eventlet.patcher.is_monkey_patched("socket"):
        pytest.skip("browser tests run under plain pytest: make test-browser")


@pytest.fixture(scope="module")
def platform(request, without_eventlet, tmp_path_factory, vhost_pipeline):
    # a module may set PLATFORM_ENV for its own platform's settings
    with vhost_pipeline.get() as vhost:
        p = start_platform(tmp_path_factory.mktemp("browser"),
                           f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
                           extra_env={"RATE_LIMIT_APPLY": "1000/60",
                                      **getattr(request.module, "PLATFORM_ENV", {})})
        try:
            yield p
        finally:
            assert stop_platform(p) == 0, p.log()[-3000:]


@pytest.fixture(scope="module")
def browser(without_eventlet):
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("install Debian's chromium: apt-get install -y chromium")
    playwright = sync_playwright()
    driver = playwright.start()
    chromium = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.__exit__(None, None, None)


@pytest.fixture
def page(browser, platform):
    context = browser.new_context(base_url=platform.url, locale="en-GB",
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, email: str, password: str, then: str = "/account") -> None:
    """Sign in through the form, in English, and land on ``then`` (the page the
    sign-in sends to, as after following a link that needed a session)."""
    page.goto(f"/sign-in?next={then}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").last.click()
    page.wait_for_url(f"**{then}")


def shot(page, name: str, full_page: bool = True) -> Path:
    """A screenshot under test-artifacts/, to be looked at by a person."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.locator('html').get_attribute('lang')}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {bad}"


def check(page, name: str, full_page: bool = True) -> None:
    accessible(page)
    shot(page, name, full_page)
