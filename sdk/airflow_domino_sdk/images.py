"""The one naming rule for dependency-group images, shared by compile, install, build-images and the runners.

- :func:`image_name`: ``<REGISTRY_NAME>/<REPOSITORY_NAME>:<VERSION>-<group>`` (the path part in
  lower case, as registries require). ``REGISTRY_NAME`` may carry a registry host
  (``ghcr.io/my-org``); without one the engine's default registry (Docker Hub) is meant. A group
  whose metadata names a ``docker_image`` uses that image as is.
- :func:`with_registry`: the same image in another registry (a mirror, a private or local
  registry): ``domino-pieces build-images --registry URL`` tags and pushes that name, and
  ``[domino] image_registry`` makes installs record it, so what the runners pull is what was pushed.
- :func:`recorded_images`: the names an install records for a repository — the shipped
  ``.domino/dependencies_map.json`` when the repository ships compiled metadata (the installer
  then uses those files), else the compiled map — which build-images tags.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["ImageNameError", "image_name", "recorded_images", "registry_host", "with_registry"]

_HOST_RE = re.compile(r"^(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)(:\d{1,5})?(/[a-z0-9._/-]+)?$")


class ImageNameError(ValueError):
    """A registry URL or a shipped dependencies map that cannot name images."""


def image_name(registry: str, repository: str, version: str, group: str) -> str:
    """``<registry>/<repository>:<version>-<group>``: the image of one dependency group."""
    return f"{registry}/{repository}".lower() + f":{version}-{group}"


def registry_host(url: str) -> str:
    """``http://127.0.0.1:5000/`` or ``registry.example.com/mirror`` -> the name prefix an engine uses."""
    text = url.strip()
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :]
    text = text.rstrip("/")
    if not _HOST_RE.fullmatch(text):
        raise ImageNameError(f"{url!r} is not a registry URL (expected host[:port][/path], e.g. 127.0.0.1:5000)")
    return text


def _has_registry_host(first: str) -> bool:
    """Docker's rule: a first path component with a dot or a port, or ``localhost``, is a registry."""
    return "." in first or ":" in first or first == "localhost"


def with_registry(image: str, registry: str | None) -> str:
    """``image`` in ``registry`` (its own registry host, if any, replaced); unchanged without one."""
    if not registry:
        return image
    host = registry_host(registry)
    first, _, rest = image.partition("/")
    if rest and _has_registry_host(first):
        image = rest
    return f"{host}/{image}"


def recorded_images(repo_dir: str | Path, dependencies_map: dict[str, dict[str, Any]]) -> dict[str, str]:
    """{group: image} as an install of ``repo_dir`` records them (before ``[domino] image_registry``).

    ``dependencies_map`` is a fresh compile's. When the repository ships compiled metadata, the
    installer records the shipped map instead; its names are used if its groups hold the same
    pieces, and a stale shipped map (other groups) is an error, so a build never tags images that
    the install would not look for.
    """
    repo = Path(repo_dir)
    fresh = {group: str(spec["source_image"]) for group, spec in dependencies_map.items()}
    if not (repo / ".domino" / "compiled_metadata.json").is_file():
        return fresh
    shipped_path = repo / ".domino" / "dependencies_map.json"
    try:
        shipped = json.loads(shipped_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImageNameError(f".domino/dependencies_map.json: cannot read it ({exc})") from exc
    stale = [
        group
        for group, spec in dependencies_map.items()
        if not isinstance(shipped.get(group), dict)
        or sorted(shipped[group].get("pieces") or []) != sorted(spec.get("pieces") or [])
        or not shipped[group].get("source_image")
    ]
    if stale or set(shipped) != set(dependencies_map):
        raise ImageNameError(
            ".domino/dependencies_map.json is stale (its dependency groups differ from the repository's: "
            f"{', '.join(stale or sorted(set(shipped) ^ set(dependencies_map)))}); installs use that file, "
            "so run `domino-pieces compile` first"
        )
    return {group: str(shipped[group]["source_image"]) for group in dependencies_map}
