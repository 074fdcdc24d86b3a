"""The plugin as Airflow sees it: loaded, in the navigation, serving its GUI to logged-in users."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.integration.conftest import USERS, RunningStack

# Part of the focused set every supported Airflow release runs (make test-airflow-3.1 / 3.2).
pytestmark = pytest.mark.versions


def test_airflow_lists_the_plugin_with_a_top_level_nav_entry(airflow_stack: RunningStack) -> None:
    with airflow_stack.client("admin", prefix="/api/v2") as client:
        plugins = client.get("/plugins").raise_for_status().json()["plugins"]
    domino = next(p for p in plugins if p["name"] == "domino")
    [view] = domino["external_views"]
    assert view["name"] == "Domino"
    assert view["href"] == "/domino/ui/"
    assert view["nav_top_level"] is True
    assert view["icon"] == "/domino/ui/icon.svg"
    assert domino["fastapi_apps"][0]["url_prefix"] == "/domino"


def test_gui_redirects_anonymous_browsers_to_airflow_login(airflow_stack: RunningStack) -> None:
    with httpx.Client(base_url=airflow_stack.stack.url, follow_redirects=False) as client:
        response = client.get("/domino/ui/workflows")
    assert response.status_code == 307
    assert "login" in response.headers["location"]
    assert "next=" in response.headers["location"]


def test_gui_is_served_with_the_airflow_session_cookie(airflow_stack: RunningStack) -> None:
    user = USERS["viewer"]
    token = airflow_stack.stack.token(user.username, user.password)
    with httpx.Client(base_url=airflow_stack.stack.url, cookies={"_token": token}) as client:
        page = client.get("/domino/ui/")
        deep_link = client.get("/domino/ui/workflows/some-id")
        deeper = client.get("/domino/ui/workflows/some%2Fid/runs/manual__2026-01-01T00:00:00+00:00")
        icon = client.get("/domino/ui/icon.svg")
        outside = client.get("/domino/ui/../../api/v2/version")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Domino" in page.text
    # A relative <base> in the HTML as sent, so the preload scanner fetches ./assets/ from the
    # app root on deep links too (not …/ui/workflows/assets/…); %2F stays inside one segment.
    assert '<head><base href="./">' in page.text
    assert deep_link.text == page.text.replace('<base href="./">', '<base href="../">')
    assert deeper.text == page.text.replace('<base href="./">', '<base href="../../../">')
    assert icon.headers["content-type"] == "image/svg+xml"
    assert outside.status_code in (200, 404)  # normalised by the client, never a file outside the build


def test_gui_assets_are_sent_compressed_at_build_time(airflow_stack: RunningStack) -> None:
    user = USERS["viewer"]
    token = airflow_stack.stack.token(user.username, user.password)
    with httpx.Client(base_url=f"{airflow_stack.stack.url}/domino/ui/", cookies={"_token": token}) as client:
        page = client.get("").text
        [entry] = re.findall(r'<script type="module" crossorigin src="\./(assets/[^"]+\.js)"', page)
        packed = client.get(entry, headers={"Accept-Encoding": "gzip"})
        plain = client.get(entry, headers={"Accept-Encoding": "identity"})
    # The build's .gz copy, as it is (not compressed again by Airflow's middleware), or the file itself.
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert packed.headers["content-type"].startswith("text/javascript")
    assert packed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert packed.num_bytes_downloaded < len(plain.content) / 2
    assert "content-encoding" not in plain.headers
    assert packed.content == plain.content


def test_api_uses_the_cookie_too(airflow_stack: RunningStack) -> None:
    user = USERS["viewer"]
    token = airflow_stack.stack.token(user.username, user.password)
    with httpx.Client(base_url=f"{airflow_stack.stack.url}/domino/api/v1", cookies={"_token": token}) as client:
        listed = client.get("/workflows")
    assert listed.status_code == 200
    assert set(listed.json()) == {"items", "total"}


def test_lists_are_paged_and_validate_their_parameters(admin: httpx.Client) -> None:
    page = admin.get("/repositories", params={"limit": 1}).json()
    assert len(page["items"]) <= 1
    assert page["total"] >= len(page["items"])
    bad = admin.get("/workflows", params={"limit": 0})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["path"] == "query.limit"
    missing = admin.get("/repositories/999")
    assert missing.status_code == 404
    assert "999" in missing.json()["detail"]
