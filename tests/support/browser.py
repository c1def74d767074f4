"""Headless Chromium (Debian's package) driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# WebGL without a GPU (MapLibre's maps): Chromium's software renderer, which it no longer falls back to
WEBGL_ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"]


@asynccontextmanager
async def browser_page(base_url: str, *, webgl: bool = False):
    """A page that records console errors and failed requests (asserted empty by the tests)."""
    async with async_playwright() as p:
        args = [a for a in ARGS if a != "--disable-gpu"] + WEBGL_ARGS if webgl else ARGS
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=args)
        context = await browser.new_context(base_url=base_url, locale="ja-JP", viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        page.console_errors = []  # type: ignore[attr-defined]
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        try:
            yield page
        finally:
            await browser.close()


async def sign_in(page, login: str, password: str) -> None:
    await page.goto("/login")
    await page.fill("input[name=login]", login)
    await page.fill("input[name=password]", password)
    await page.click("button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
