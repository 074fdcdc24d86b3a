"""Serves the GUI at ``/domino/ui/`` to logged-in Airflow users.

The built app (``npm run build`` in ``static/``) lands in ``ui_build/`` inside the package.
Unknown paths get ``index.html`` so the app's router can handle deep links; a browser without
an Airflow session is sent to Airflow's login page and back.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from airflow_domino_plugin.airflow_adapter.auth import auth_manager, current_user_or_none

VIEWS_DIR = Path(__file__).resolve().parent
BUILD_DIR = VIEWS_DIR / "ui_build"
ICON = VIEWS_DIR / "icon.svg"

router = APIRouter(include_in_schema=False)

_NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Domino</title>
<body style="font-family: sans-serif; margin: 2rem">
<h1>Domino</h1><p>The GUI has not been built into this installation.
From a source checkout run <code>make build-ui</code> (or <code>npm ci &amp;&amp; npm run build</code>
in <code>static/</code>) and reload. The REST API works without it: see
<a href="../api/v1/docs">the API documentation</a>.</p></body>"""


async def _login_redirect(request: Request) -> Response | None:
    """None when the caller has an Airflow session, else a redirect to Airflow's login."""
    if await current_user_or_none(request) is not None:
        return None
    login = auth_manager().get_url_login()
    separator = "&" if "?" in login else "?"
    return RedirectResponse(f"{login}{separator}next={quote(str(request.url), safe='')}", status_code=307)


def _resolve(path: str) -> Path | None:
    if not path:
        return None
    candidate = (BUILD_DIR / path).resolve()
    if BUILD_DIR.resolve() not in candidate.parents or not candidate.is_file():
        return None
    return candidate


@router.get("/ui")
async def ui_root() -> Response:
    return RedirectResponse("ui/", status_code=308)


@router.get("/ui/icon.svg")
async def icon(request: Request) -> Response:
    denied = await _login_redirect(request)
    return denied or FileResponse(ICON, media_type="image/svg+xml")


@router.get("/ui/{path:path}")
async def ui(path: str, request: Request) -> Response:
    denied = await _login_redirect(request)
    if denied:
        return denied
    asset = _resolve(path)
    if asset is not None:
        return _asset_response(asset, f"/{path}", request)
    index = BUILD_DIR / "index.html"
    if not index.is_file():
        return HTMLResponse(_NOT_BUILT)
    html = index.read_text(encoding="utf-8").replace("<head>", f'<head><base href="{_app_root(path, request)}">', 1)
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


def _asset_response(asset: Path, path: str, request: Request) -> Response:
    media_type = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
    # Vite puts a content hash in asset names, so they can be cached for good.
    headers = {"Cache-Control": "public, max-age=31536000, immutable" if "/assets/" in path else "no-cache"}
    # The build writes a gzip copy of each compressible asset (static/scripts/precompress.mjs): sent
    # as it is, Airflow's API server does not compress it again on every request, on the cores the
    # browser needs (GZipMiddleware passes a response that has a Content-Encoding through).
    packed = asset.with_name(f"{asset.name}.gz")
    if _accepts_gzip(request) and packed.is_file():
        headers |= {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return FileResponse(packed, media_type=media_type, headers=headers)
    return FileResponse(asset, media_type=media_type, headers=headers)


def _accepts_gzip(request: Request) -> bool:
    """Whether Accept-Encoding names gzip: the test Airflow's GZipMiddleware applies to the same request."""
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _app_root(path: str, request: Request) -> str:
    """A relative ``<base href>`` from this page up to ``…/domino/ui/``.

    It has to be in the HTML as sent: the browser's preload scanner fetches ``./assets/…`` before
    any script runs, so a ``<base>`` added by script comes too late for deep links (they would
    load ``…/ui/workflows/assets/…`` and get this page instead). Relative, so it holds under any
    prefix or proxy. ``%2F`` inside a segment is one segment to the browser, not two.
    """
    raw = request.scope.get("raw_path") or b""
    encoded_slashes = raw.decode("latin-1").lower().count("%2f")
    depth = max(0, path.count("/") - encoded_slashes)
    return "../" * depth if depth else "./"
