"""Airflow's navigation shows "Domino" and opens the app inside its shell."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Domino


def test_airflow_nav_opens_domino_inside_the_shell(domino: Domino) -> None:
    frame = domino.open_in_shell()
    expect(frame.get_by_role("heading", name="Workflows")).to_be_visible()
    expect(frame.get_by_role("navigation", name="Domino").get_by_role("link", name="Pieces")).to_be_visible()
    frame.get_by_role("navigation", name="Domino").get_by_role("link", name="Pieces").click()
    expect(frame.get_by_role("heading", name="Install a repository")).to_be_visible()
    domino.screenshot("shell-domino-pieces")
