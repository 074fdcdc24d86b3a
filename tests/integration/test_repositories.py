"""Installing piece repositories through the REST API on the real stack: versions, progress, search, refusals,
permissions, deletion and upgrade reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import RunningStack
from tests.integration.helpers import FIXTURE_REPO, install_repository
from tests.unit.repositories.helpers import DOMINO_REPO, THIRD_PARTY_REPO, copy_repo, make_tagged_git_repo

GIT_NAME = "git_style_pieces"  # the tagged git copy is renamed so it never clashes with fixture_repository


def _root(stack: RunningStack) -> Path:
    """``[domino] repositories_path`` of the stack (the default unless the fixture sets it)."""
    configured = stack.stack.extra_env.get("AIRFLOW__DOMINO__REPOSITORIES_PATH")
    return Path(configured) if configured else stack.stack.home / "domino" / "repositories"


@pytest.fixture(scope="module")
def git_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"file://{make_tagged_git_repo(tmp_path_factory.mktemp('it-git') / GIT_NAME, name=GIT_NAME)}"


@pytest.fixture(scope="module")
def git_installs(airflow_stack: RunningStack, git_url: str) -> dict[str, dict[str, Any]]:
    """Both tags of the git repository, installed through the API after listing them."""
    with airflow_stack.client("admin") as admin:
        listed = admin.get("/repositories/versions", params={"source_type": "git", "source_url": git_url})
        assert listed.status_code == 200, listed.text
        assert listed.json() == {"versions": ["0.2.0", "0.1.0"]}
        return {tag: install_repository(admin, git_url, "git", tag) for tag in ("0.1.0", "0.2.0")}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def third_party(airflow_stack: RunningStack) -> dict[str, Any]:
    with airflow_stack.client("admin") as admin:
        return install_repository(admin, THIRD_PARTY_REPO)


def test_install_from_a_git_url_at_a_tag_reports_progress(
    git_installs: dict[str, dict[str, Any]], git_url: str, admin: httpx.Client, airflow_stack: RunningStack
) -> None:
    for tag, job in git_installs.items():
        assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
        assert (job["progress"], job["error"], job["version"]) == (100, "", tag)
        assert job["finished_at"] is not None
        messages = [entry["message"] for entry in job["log"]]
        assert messages[0].startswith("Queued on ")  # which API server process runs the job
        assert messages[1] == f"Fetching {git_url} at {tag}"
        assert "Validating the repository" in messages
        assert "Recording the pieces" in messages
        assert any(m.startswith(("Reusing the environment", "Creating a virtualenv")) for m in messages)
        assert messages[-1].startswith(f"Installed {GIT_NAME} {tag} with ")
        percents = [entry["progress"] for entry in job["log"]]
        assert percents == sorted(percents)
        assert job["step"] == messages[-1]

        repository = admin.get(f"/repositories/{job['repository_id']}").json()
        assert (repository["name"], repository["version"]) == (GIT_NAME, tag)
        assert (repository["source_type"], repository["source_url"], repository["source_ref"]) == ("git", git_url, tag)
        assert len(repository["commit_sha"]) == 40
        assert repository["installed_by"] == "admin"
        assert (_root(airflow_stack) / GIT_NAME / tag / "pieces" / "AddPiece" / "piece.py").is_file()
    counts = {
        t: admin.get(f"/repositories/{j['repository_id']}").json()["piece_count"] for t, j in git_installs.items()
    }
    fixture_pieces = len([p for p in (FIXTURE_REPO / "pieces").iterdir() if p.name.endswith("Piece")])
    assert counts["0.1.0"] == counts["0.2.0"] == fixture_pieces  # one piece removed, one added

    jobs = admin.get("/repositories/installs", params={"limit": 100}).json()
    assert {j["id"] for j in git_installs.values()} <= {j["id"] for j in jobs["items"]}


def test_versions_side_by_side_and_upgrade_report(git_installs: dict[str, dict[str, Any]], admin: httpx.Client) -> None:
    listed = admin.get("/repositories", params={"limit": 100}).json()["items"]
    assert sorted(r["version"] for r in listed if r["name"] == GIT_NAME) == ["0.1.0", "0.2.0"]

    old_id = git_installs["0.1.0"]["repository_id"]
    report = admin.get(f"/repositories/{old_id}/upgrade-report", params={"to_version": "0.2.0"})
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["repository"], body["from_version"], body["to_version"]) == (GIT_NAME, "0.1.0", "0.2.0")
    assert body["pieces_added"] == ["MultiplyPiece"]
    assert body["pieces_removed"] == ["FailPiece"]
    assert body["breaking"] is True
    assert body["workflows_using_from_version"] == []
    (add,) = body["pieces_changed"]
    assert add["piece"] == "AddPiece"
    assert add["inputs"]["added"] == ["c"]
    assert add["inputs"]["removed"] == ["b"]
    assert add["inputs"]["retyped"] == [{"name": "a", "from": "integer", "to": "number"}]

    missing = admin.get(f"/repositories/{old_id}/upgrade-report", params={"to_version": "7.0.0"})
    assert missing.status_code == 404
    assert "7.0.0 is not installed" in missing.json()["detail"]
    assert "0.1.0" in missing.json()["detail"]
    assert admin.get(f"/repositories/{old_id}/upgrade-report").status_code == 422


def test_versions_of_an_unreachable_git_url_are_a_clear_error(admin: httpx.Client, tmp_path: Path) -> None:
    url = f"file://{tmp_path / 'missing.git'}"
    response = admin.get("/repositories/versions", params={"source_type": "git", "source_url": url})
    assert response.status_code in (400, 422), response.text
    assert "git ls-remote failed" in response.text
    assert "missing.git" in response.text


def _search(admin: httpx.Client, **params: Any) -> dict[str, Any]:
    response = admin.get("/pieces", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_piece_search_by_name_description_and_tag(third_party: dict[str, Any], admin: httpx.Client) -> None:
    assert third_party["state"] == "succeeded", third_party

    def names(search: str) -> list[str]:
        # Other tests of the session install more repositories; look inside this one.
        found = _search(admin, search=search, repository_id=third_party["repository_id"], limit=100)
        return [p["name"] for p in found["items"]]

    assert names("wordcount") == ["WordCountPiece"]  # name, case-insensitive
    assert names("plain ASCII") == ["TransliteratePiece"]  # description only
    assert names("statistics") == ["WordCountPiece"]  # tag only
    assert names("no piece has this text") == []
    hit = _search(admin, search="WordCount")["items"][0]
    assert hit["repository"] == "third_party_domino_pieces"
    assert hit["version"] == "1.4.0"
    assert hit["repository_id"] == third_party["repository_id"]
    assert hit["tags"] == ["Text", "Statistics"]
    assert hit["style"]["node_label"] == "Word count"


def test_piece_list_is_paged(fixture_repository: dict[str, Any], admin: httpx.Client) -> None:
    repository_id = fixture_repository["repository_id"]
    everything = _search(admin, repository_id=repository_id, limit=100)
    count = len([p for p in (FIXTURE_REPO / "pieces").iterdir() if p.name.endswith("Piece")])
    assert everything["total"] == count
    pages = [_search(admin, repository_id=repository_id, limit=4, offset=offset) for offset in range(0, count, 4)]
    assert [len(p["items"]) for p in pages] == [min(4, count - offset) for offset in range(0, count, 4)]
    assert all(p["total"] == count for p in pages)
    paged = [piece["name"] for page in pages for piece in page["items"]]
    assert paged == [piece["name"] for piece in everything["items"]]
    assert paged == sorted(paged)
    assert _search(admin, repository_id=repository_id, limit=4, offset=40)["items"] == []
    assert admin.get("/pieces", params={"limit": 0}).status_code == 422
    # search and paging together: "math" is the tag of AddPiece and CollectPiece
    math = _search(admin, repository_id=repository_id, search="math", limit=1)
    assert math["total"] == 2
    assert [p["name"] for p in math["items"]] == ["AddPiece"]


def test_piece_detail_has_the_three_schemas(fixture_repository: dict[str, Any], admin: httpx.Client) -> None:
    pieces = _search(admin, repository_id=fixture_repository["repository_id"], limit=100)["items"]
    by_name = {p["name"]: p["id"] for p in pieces}
    secret = admin.get(f"/pieces/{by_name['SecretGreetingPiece']}").json()
    assert secret["input_schema"]["type"] == "object"
    assert "properties" in secret["output_schema"]
    assert secret["secrets_schema"]["properties"]
    add = admin.get(f"/pieces/{by_name['AddPiece']}").json()
    assert set(add["input_schema"]["properties"]) == {"a", "b"}
    assert add["output_schema"]["properties"]["total"]["type"] == "integer"
    assert add["secrets_schema"] == {}
    assert add["container_resources"]["limits"] == {"cpu": 500, "memory": 512}
    assert add["dependency"] == {"dockerfile": None, "requirements_file": None}
    slug = admin.get(f"/pieces/{by_name['SlugifyPiece']}").json()
    assert slug["dependency"]["requirements_file"] == "requirements_slugify.txt"
    missing = admin.get("/pieces/987654")
    assert missing.status_code == 404
    assert "987654" in missing.json()["detail"]


def test_bad_repository_fails_the_job_and_leaves_nothing(
    admin: httpx.Client, airflow_stack: RunningStack, tmp_path: Path
) -> None:
    repo = copy_repo(DOMINO_REPO, tmp_path / "bad", version="0.9.9")
    models = repo / "pieces" / "AddPiece" / "models.py"
    models.write_text(models.read_text() + "\ndef broken(:\n")
    (repo / "dependencies" / "requirements_slugify.txt").unlink()

    job = install_repository(admin, repo)

    assert job["state"] == "failed", job
    assert job["repository_id"] is None
    assert job["error"].startswith("The repository has 2 problem(s):")
    assert "pieces/AddPiece/models.py: syntax error in models.py" in job["error"]
    assert "dependencies/requirements_slugify.txt does not exist" in job["error"]
    problems = next(entry["problems"] for entry in job["log"] if "problems" in entry)
    assert {p["file"] for p in problems} == {"pieces/AddPiece/models.py", "pieces/SlugifyPiece/metadata.json"}
    listed = admin.get("/repositories", params={"limit": 100}).json()["items"]
    assert not [r for r in listed if r["version"] == "0.9.9"]
    assert not (_root(airflow_stack) / "domino_style_pieces" / "0.9.9").exists()
    assert not list(_root(airflow_stack).glob(".staging-*"))


def test_install_of_an_installed_version_fails_clearly(fixture_repository: dict[str, Any], admin: httpx.Client):
    job = install_repository(admin, DOMINO_REPO)
    assert job["state"] == "failed"
    assert job["error"] == (
        f"domino_style_pieces 0.1.0 is already installed (id {fixture_repository['repository_id']}); "
        "delete it first or install another version"
    )


def test_viewer_cannot_install_or_delete(
    fixture_repository: dict[str, Any], viewer: httpx.Client, admin: httpx.Client
) -> None:
    before = admin.get("/repositories/installs", params={"limit": 100}).json()["total"]
    refused = viewer.post(
        "/repositories/installs", json={"source_type": "local", "source_url": str(DOMINO_REPO), "version": ""}
    )
    assert refused.status_code == 403, refused.text
    assert admin.get("/repositories/installs", params={"limit": 100}).json()["total"] == before
    assert viewer.delete(f"/repositories/{fixture_repository['repository_id']}").status_code == 403
    assert viewer.get(f"/repositories/{fixture_repository['repository_id']}").status_code == 200
    assert viewer.get("/pieces", params={"search": "add"}).status_code == 200


def test_delete_an_unused_version_removes_it_and_its_folder(
    admin: httpx.Client, airflow_stack: RunningStack, tmp_path: Path
) -> None:
    job = install_repository(admin, copy_repo(DOMINO_REPO, tmp_path / "copy", version="0.1.7"))
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    repository_id = job["repository_id"]
    folder = _root(airflow_stack) / "domino_style_pieces" / "0.1.7"
    assert folder.is_dir()
    piece_ids = [p["id"] for p in _search(admin, repository_id=repository_id, limit=100)["items"]]
    assert len(piece_ids) == len([p for p in (FIXTURE_REPO / "pieces").iterdir() if p.name.endswith("Piece")])

    deleted = admin.delete(f"/repositories/{repository_id}")

    assert deleted.status_code == 204, deleted.text
    assert admin.get(f"/repositories/{repository_id}").status_code == 404
    assert not folder.exists()
    assert (_root(airflow_stack) / "domino_style_pieces" / "0.1.0").is_dir()  # other versions stay
    assert admin.get(f"/pieces/{piece_ids[0]}").status_code == 404
    assert _search(admin, repository_id=repository_id)["total"] == 0
    assert admin.delete(f"/repositories/{repository_id}").status_code == 404


def test_delete_a_version_a_workflow_uses_is_refused(
    admin: httpx.Client, airflow_stack: RunningStack, tmp_path: Path
) -> None:
    job = install_repository(admin, copy_repo(DOMINO_REPO, tmp_path / "copy", version="0.1.8"))
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    document = {
        "schema_version": 1, "id": "uses_0_1_8", "name": "Uses 0.1.8", "schedule": None,
        "tasks": [{"id": "add", "piece": {"repository": "domino_style_pieces", "version": "0.1.8", "name": "AddPiece"},
                   "inputs": {"a": 1, "b": 2}}],
    }  # fmt: skip
    created = admin.post("/workflows", json={"document": document})
    assert created.status_code == 201, created.text

    refused = admin.delete(f"/repositories/{job['repository_id']}")
    assert refused.status_code == 409, refused.text
    assert "uses_0_1_8" in refused.text
    assert (_root(airflow_stack) / "domino_style_pieces" / "0.1.8").is_dir()

    assert admin.delete("/workflows/uses_0_1_8").status_code == 204
    assert admin.delete(f"/repositories/{job['repository_id']}").status_code == 204
    assert not (_root(airflow_stack) / "domino_style_pieces" / "0.1.8").exists()


def test_third_party_repository_installs_from_its_shipped_metadata(
    third_party: dict[str, Any], admin: httpx.Client
) -> None:
    pieces = _search(admin, repository_id=third_party["repository_id"], limit=100)["items"]
    assert sorted(p["name"] for p in pieces) == ["EchoOutputsPiece", "TransliteratePiece", "WordCountPiece"]
    detail = admin.get(f"/pieces/{next(p['id'] for p in pieces if p['name'] == 'WordCountPiece')}").json()
    # compiled by its authors against their GitHub URL, not re-compiled from the local path
    assert (
        detail["source_url"]
        == "https://github.com/example-org/third_party_domino_pieces/tree/main/pieces/WordCountPiece"
    )


def test_install_request_is_validated(admin: httpx.Client) -> None:
    bad = admin.post("/repositories/installs", json={"source_type": "svn", "source_url": "x"})
    assert bad.status_code == 422
    empty = admin.post("/repositories/installs", json={"source_type": "git", "source_url": ""})
    assert empty.status_code == 422
