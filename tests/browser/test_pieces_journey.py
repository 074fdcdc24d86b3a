"""Install a repository from a local path in the Pieces page, watch it to success, read a piece's docs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Domino
from tests.integration.helpers import FIXTURE_REPO


def _copy_with_version(tmp_path: Path, version: str) -> Path:
    target = tmp_path / "pieces_repo"
    shutil.copytree(FIXTURE_REPO, target, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    config = target / "config.toml"
    config.write_text(re.sub(r'VERSION = "[^"]+"', f'VERSION = "{version}"', config.read_text()))
    return target


def test_install_a_repository_from_a_local_path(
    fixture_repository: dict, domino: Domino, page: Page, tmp_path: Path
) -> None:
    source = _copy_with_version(tmp_path, "0.2.0")
    domino.open("/pieces")
    form = page.get_by_role("form", name="Install a repository")
    form.get_by_label("Source").select_option("local")
    form.get_by_label(re.compile("Folder on the Airflow API server")).fill(str(source))
    form.get_by_role("button", name="Install").click()

    progress = page.locator("[data-install-state]")
    expect(progress).to_be_visible()
    expect(progress.get_by_role("progressbar")).to_be_visible()
    expect(progress).to_have_attribute("data-install-state", "succeeded", timeout=240_000)
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(progress.get_by_text("Installed", exact=True)).to_be_visible()

    row = page.locator("[data-repository='domino_style_pieces@0.2.0']")
    expect(row).to_be_visible()
    domino.screenshot("pieces-installed")

    # Compare the two installed versions.
    row.get_by_role("button", name="Upgrade report").click()
    expect(page.get_by_text("No breaking changes")).to_be_visible()

    # Each piece has a documentation page.
    # The catalog search: the same piece name from two installed versions, told apart.
    search = page.get_by_role("region", name="Find a piece")
    # (Other tests of the session may have installed more repositories: count the fixture's cards.)
    search.get_by_role("searchbox").fill("markdown report")
    cards = search.get_by_role("list", name="Matching pieces").get_by_role("listitem")
    version = page.get_by_title("Repository and version")
    ours = cards.filter(has=version.filter(has_text=re.compile(r"^domino_style_pieces 0\.(1|2)\.0$")))
    expect(ours).to_have_count(2)
    expect(ours.get_by_title("Repository and version")).to_have_text(
        ["domino_style_pieces 0.1.0", "domino_style_pieces 0.2.0"]
    )
    search.get_by_role("searchbox").fill("")
    search.get_by_role("group", name="Filter by tag").get_by_role("button", name=re.compile("^Report")).click()
    expect(ours).to_have_count(2)
    expect(cards.filter(has_not=page.get_by_text("Report", exact=True))).to_have_count(0)
    expect(ours.first).to_contain_text("MarkdownReportPiece")
    domino.screenshot("pieces-search")

    # Help texts render their inline Markdown (no raw backticks).
    ours.first.get_by_role("link", name="MarkdownReportPiece").click()
    rows_help = page.get_by_role("table", name="Inputs").get_by_role("row", name=re.compile(r"^rows\b", re.IGNORECASE))
    expect(rows_help.locator("code", has_text="Markdown")).to_be_visible()
    expect(rows_help).not_to_contain_text("`")
    page.go_back()

    row.get_by_role("button", name="Pieces").click()
    page.get_by_role("list", name="Pieces of domino_style_pieces 0.2.0").get_by_role("link", name="AddPiece").click()
    expect(page.get_by_role("heading", name="AddPiece")).to_be_visible()
    inputs = page.get_by_role("table", name="Inputs")
    expect(inputs.get_by_role("row", name=re.compile("First number"))).to_contain_text("required")
    expect(page.get_by_role("table", name="Outputs")).to_contain_text("total")
    domino.screenshot("piece-docs")
