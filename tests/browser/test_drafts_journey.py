"""Drafts, the leave prompt and the local autosave, inside Airflow's shell.

An incomplete workflow is saved as a draft (no DAG); a later edit is left unsaved and Airflow's
own navigation (outside the app's iframe) is clicked with the real mouse: the app asks first,
"Stay" keeps the editor, "Leave" lets Airflow navigate. Back in the app, the workflows list marks
the draft and the editor offers to restore the unsaved edit from this browser's copy.
"""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Frame, Locator, Page, expect

from tests.browser.conftest import Domino
from tests.integration.helpers import dag

WORKFLOW_ID = "drafts_journey"


def _airflow_nav_link(page: Page, name: str) -> Locator:
    """A link of Airflow's own navigation: in Airflow's page (page locators stop at the app's iframe)."""
    return page.get_by_role("link", name=name, exact=True).first


def test_draft_saved_left_through_airflow_nav_with_a_prompt_and_restored(
    domino: Domino, fixture_repository: dict, admin: httpx.Client, airflow_api: httpx.Client
) -> None:
    page: Page = domino.page  # type: ignore[assignment]
    frame: Frame = domino.open_in_shell()  # type: ignore[assignment]
    frame.get_by_role("link", name="New workflow").first.click()
    expect(frame.get_by_role("heading", name="New workflow")).to_be_visible()

    # An incomplete workflow: one AddPiece whose required input `a` is not set yet.
    settings = frame.get_by_test_id("settings-panel")
    settings.get_by_label("Name").fill("Drafts journey")
    settings.get_by_label("Workflow id").fill(WORKFLOW_ID)
    canvas = frame.get_by_test_id("editor-canvas")
    frame.get_by_test_id("palette-piece-AddPiece").first.drag_to(canvas, target_position={"x": 200, "y": 160})
    node = frame.locator(".react-flow__node[data-id='add']")
    expect(node).to_be_visible()
    expect(frame.get_by_test_id("problem-count")).to_be_visible(timeout=20_000)

    # Save offers a draft and says what that means; the editor marks it.
    frame.get_by_role("button", name="Create…").click()
    dialog = frame.get_by_role("dialog", name="Save as a draft")
    expect(dialog.get_by_test_id("draft-explanation")).to_contain_text("no DAG and cannot run")
    dialog.get_by_label("What changed?").fill("Half done")
    dialog.get_by_role("button", name="Save as draft").click()
    expect(dialog).to_be_hidden()
    expect(frame.get_by_test_id("draft-badge")).to_have_text("Draft · no DAG yet")
    expect(frame.get_by_text("Revision 1", exact=True)).to_be_visible()
    expect(frame.get_by_text("Unsaved changes", exact=True)).to_be_hidden()
    saved = admin.get(f"/workflows/{WORKFLOW_ID}").json()
    assert (saved["status"], saved["revision"]["draft"], saved["deployed_revision"]) == ("draft", True, None)
    assert dag(airflow_api, WORKFLOW_ID) is None

    # An edit that is not saved.
    node.click()
    panel = frame.get_by_test_id("task-panel")
    panel.get_by_role("textbox", name="a", exact=True).fill("7")
    expect(frame.get_by_text("Unsaved changes", exact=True)).to_be_visible()

    # Airflow's own navigation, outside the iframe: the app asks first; "Stay" stays.
    leave_to = _airflow_nav_link(page, "Dags")
    leave_to.click()
    question = frame.get_by_role("alertdialog", name="Leave without saving?")
    expect(question).to_be_visible()
    expect(question).to_contain_text("A copy stays in this browser")
    question.get_by_role("button", name="Stay").click()
    expect(question).to_be_hidden()
    expect(frame.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    expect(page.locator("iframe[src*='/domino/ui']")).to_be_visible()
    domino.screenshot("drafts-leave-question")

    # "Leave": Airflow navigates to its own page and the app's frame goes.
    leave_to.click()
    expect(question).to_be_visible()
    question.get_by_role("button", name="Leave").click()
    expect(page).to_have_url(re.compile(r"/dags/?$"))
    expect(page.locator("iframe[src*='/domino/ui']")).to_have_count(0)

    # Back in the app: the list marks the draft; the editor offers the unsaved edit back.
    frame = domino.open_in_shell()  # type: ignore[assignment]
    row = frame.get_by_role("row").filter(has_text="Drafts journey")
    expect(row.get_by_test_id("draft-cell")).to_have_text("Draft, no DAG")
    row.get_by_role("link", name="Edit").click()
    offer = frame.get_by_test_id("autosave-offer")
    expect(offer).to_contain_text("This browser kept unsaved changes")
    expect(frame.get_by_text("Unsaved changes", exact=True)).to_be_hidden()
    offer.get_by_role("button", name="Restore unsaved changes").click()
    expect(offer).to_be_hidden()
    expect(frame.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    frame.locator(".react-flow__node[data-id='add']").click()
    expect(frame.get_by_test_id("task-panel").get_by_role("textbox", name="a", exact=True)).to_have_value("7")

    # The history marks revision 1 a draft.
    frame.get_by_role("button", name="History").click()
    drawer = frame.get_by_role("dialog", name="Revision history")
    expect(drawer.get_by_test_id("revision-list").get_by_text("Draft", exact=True)).to_be_visible()
    drawer.get_by_role("button", name="Close history").click()

    # Now valid: a normal save deploys it, and the copy in the browser is gone.
    expect(frame.get_by_text("Valid", exact=True)).to_be_visible(timeout=20_000)
    frame.get_by_role("button", name="Save…").click()
    dialog = frame.get_by_role("dialog", name="Save a new revision")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(frame.get_by_test_id("draft-badge")).to_have_count(0)
    expect(frame.get_by_text("Revision 2", exact=True)).to_be_visible()
    kept = frame.evaluate(f"() => window.localStorage.getItem('domino.editor.autosave.{WORKFLOW_ID}')")
    assert kept is None
    domino.screenshot("drafts-journey")
