"""The HTML report in a real browser: Debian's headless Chromium, driven by playwright.

Opens the incident fixture's report from a ``file://`` URL and checks what a reviewer
sees: no console error (a CSP violation would be one), no request but the file itself,
the verdict on screen, and severity filters that really hide cards. A screenshot goes
to ``tests/artifacts/report.png`` for a human to look at. Playwright only drives the
system browser: it never downloads one (``playwright install`` is not used anywhere).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_html import hostile_result

from blastscan.reports.html import render_html
from blastscan.scanner.models import ScanResult

from report_samples import incident_result

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

if not Path(CHROMIUM).exists():
    pytest.skip("no chromium binary (CI installs Debian's chromium package)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")


@pytest.fixture(scope="module")
def report_file(incident: ScanResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(incident), encoding="utf-8")
    return path


@dataclass
class Session:
    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    seconds: float = 0.0


@pytest.fixture(scope="module")
def browser(report_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    started = time.monotonic()
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        try:
            session = Session(context.new_page())
            page, errors = session.page, session.errors
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: session.requests.append(r.url))
            page.goto(report_file.as_uri(), wait_until="load")
            session.seconds = time.monotonic() - started
            yield session
        finally:
            context.close()


def test_loads_with_no_error_and_no_request(browser: Session, report_file: Path) -> None:
    assert browser.errors == []
    assert browser.requests == [report_file.as_uri()]
    assert browser.seconds < 60, "chromium took unusually long to start and load the file"


def test_verdict_is_visible(browser: Session) -> None:
    verdict = browser.page.locator("#verdict")
    assert verdict.is_visible()
    assert "railway.project.delete in production" in verdict.inner_text()
    assert browser.page.locator("#filters").is_visible(), "the script un-hides the filters"


def test_unchecking_critical_hides_critical_cards(browser: Session) -> None:
    page = browser.page
    critical = page.locator("article.card.sev-critical")
    others = page.locator("article.card:not(.sev-critical)")
    assert critical.count() > 0
    assert others.count() > 0
    assert critical.first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    box = page.locator("input[name=severity][value=critical]")
    box.uncheck()
    assert not any(critical.nth(i).is_visible() for i in range(critical.count()))
    assert others.first.is_visible()
    total = page.locator("article.card").count()
    shown = total - critical.count()
    assert page.locator("#shown").inner_text() == f"{shown} of {total} paths shown"
    box.check()
    assert critical.first.is_visible()
    page.select_option("select[name=source]", "home")  # no credential of the fixture is there
    assert not critical.first.is_visible()
    assert not others.first.is_visible()
    page.select_option("select[name=source]", "")
    assert critical.first.is_visible()


def test_prints_without_the_filters(browser: Session) -> None:
    page = browser.page
    page.emulate_media(media="print")
    try:
        assert not page.locator("#filters").is_visible()
        assert page.locator("#verdict").is_visible()
    finally:
        page.emulate_media(media="screen")


def test_hostile_text_runs_nothing(browser: Session, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.html"
    hostile.write_text(render_html(hostile_result()), encoding="utf-8")
    page = browser.page.context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))  # CSP blocks
    try:
        page.goto(hostile.as_uri(), wait_until="load")
        assert dialogs == []
        assert errors == []
        shown = page.locator("table.credentials").inner_text()
        assert "<script>alert(1)</script>" in shown, "shown as text"
    finally:
        page.close()


def test_each_credential_has_its_own_graph_and_filters_hide_the_others(
        browser: Session, tmp_path: Path) -> None:
    """Issue 21: one graph joined every credential through shared environment nodes, and
    the provider filter left it whole. Each credential's block now draws its own graph,
    and a filter that hides a credential's operations hides its block, graph and all."""
    sample = incident_result()
    report = tmp_path / "three.html"
    report.write_text(render_html(sample), encoding="utf-8")
    page = browser.page.context.new_page()
    try:
        page.goto(report.as_uri(), wait_until="load")
        blocks = page.locator("article.block")
        assert blocks.count() == len(sample.credentials) == 3
        for rc in sample.credentials:
            graph = page.locator(f"#block-{rc.credential.id} svg")
            assert graph.count() == 1
            assert graph.is_visible()
            labels = graph.locator("g.node text").all_text_contents()
            others = [o.credential.id for o in sample.credentials if o is not rc]
            assert rc.credential.id in labels
            assert not any(o in labels for o in others), "no other credential in its graph"
        generic = page.locator("#block-c-9f43aa02")
        assert generic.locator("g.node").first.is_visible()
        page.select_option("select[name=provider]", "railway")
        assert not generic.is_visible()
        assert not generic.locator("g.node").first.is_visible()
        assert page.locator("#block-c-1a7e0c94 g.node").first.is_visible()
        page.select_option("select[name=provider]", "")
        page.locator("input[name=severity][value=critical]").uncheck()
        page.locator("input[name=severity][value=high]").uncheck()
        account = page.locator("#block-c-1a7e0c94")
        assert not account.is_visible(), "none of its operations is shown"
        assert generic.is_visible()
        page.locator("input[name=severity][value=high]").check()
        assert account.is_visible()
        assert account.locator("svg").is_visible()
    finally:
        page.close()
