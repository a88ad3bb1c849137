"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Run with `pytest -m browser tests/browser`. Chromium is never downloaded: the tests use
/usr/bin/chromium, skip when it is missing, and fail instead when CI=true (a CI machine must have it).
Screenshots go to test-output/screenshots/<test-name>-<step>.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PASSWORD = "mat-khau-thu-nghiem"  # the personas' password (root conftest.py)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=vi-VN",
]
# With Debian's chromium-l10n, date inputs show dd/mm/yyyy as users see them. On Linux Chromium takes
# its locale from LANGUAGE (`--lang` alone leaves them in the US order).
CHROMIUM_ENV = {"LANGUAGE": "vi"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def _db_snapshot(django_db_setup: None) -> dict[str, str | None]:
    """The data the migrations loaded (structure rules…), serialized when the test database was made.

    Django keeps it on the connection object, and Django's connections are per context: once
    Playwright's loop runs, this thread gets other connection objects (to the same database)
    without it, so Django's own serialized rollback would silently restore nothing. Taken here,
    before Playwright starts, and restored by `page`.
    """
    from django.db import connections

    return {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}


@pytest.fixture(scope="session")
def browser(_db_snapshot: dict[str, str | None]) -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}; install Debian's package: apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse
    # ORM calls from the test body unless told that this is deliberate.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as playwright:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env={**os.environ, **CHROMIUM_ENV}
        )
        yield chromium
        chromium.close()


def _restore_migrated_data(snapshot: dict[str, str | None]) -> None:
    from django.db import connections

    for alias, contents in snapshot.items():
        connection = connections[alias]
        if contents and not hasattr(connection, "_test_serialized_contents"):
            # From now on Django restores it itself before each test and, after one, flushes
            # without re-running post_migrate (which would clash with the restored content types).
            connection._test_serialized_contents = contents
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def page(
    browser, _db_snapshot, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[object]:
    """A desktop-sized page on the live server. The test database is transactional (the server runs
    in another thread) and holds the data the migrations load, restored before every test."""
    _restore_migrated_data(_db_snapshot)
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """shot(page, "step") saves test-output/screenshots/<test-name>-<step>.png (full page);
    shot(page, "step", phone=True) takes it at phone width and puts the viewport back."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")

    def take(page, step: str, *, phone: bool = False) -> Path:
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        if phone:
            page.set_viewport_size(PHONE)
        page.screenshot(path=str(path), full_page=True)
        if phone:
            page.set_viewport_size(DESKTOP)
        return path

    return take


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through the real login page, as a person would."""
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    if "/dang-nhap/" in page.url:
        raise AssertionError(f"login failed for {user.username}: still on {page.url}")
