"""`python -m previews comment`: the whole pull-request comment of a stack (marker, offline plan
diff, live consent diff) within one budget, and the exit code the workflow acts on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.catalogue import load_catalogue
from previews.__main__ import main
from previews.cli.comment_command import DEFAULT_BUDGET, NO_PREVIEW, SEPARATOR
from previews.cli.comment_sections import EXIT_SETTINGS, offline_verdict
from previews.cli.render_command import (
    EXIT_MANDATORY_VIOLATIONS,
    EXIT_OK,
    EXIT_PREVIEW_FAILED,
)
from previews.markdown import utf8_size
from previews.plan.base_plan import plan_against_base
from previews.plan.plan_diff_markdown import plan_diff_markdown
from previews.plan.stack_plan import planned_stack
from previews.render.pipeline import render_digest
from simtenant.fakes.preview_digests import large_digest
from tests.previews.conftest import REPO
from tests.previews.plan.test_plan_base import AFTER, base_repo, make_repo
from tests.previews.test_markdown_kit import render, structure

DIGESTS = Path(__file__).resolve().parents[1] / "digests"
MARKER = "<!-- entra-consent-preview:s -->"
SPLIT = "\n".join(SEPARATOR) + "\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read-only: HEAD~1 -> working tree is the plan diff of test_plan_base."""
    return make_repo(tmp_path_factory.mktemp("comment"))


def comment(capsys: pytest.CaptureFixture[str], repo: Path, *args: str) -> tuple[int, str, str]:
    code = main(["comment", "--stack", "s", "--base", "HEAD~1", "--project-dir", str(repo), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_offline_only(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = comment(capsys, repo)
    assert (code, err) == (EXIT_OK, "")
    assert out.splitlines()[0] == MARKER
    plan, live = out.split(SPLIT)
    assert "## Consent plan diff: stack `s`, `HEAD~1` → working tree" in plan
    assert live == NO_PREVIEW + "\n"
    assert "policy violations: not checked" in live


def test_live_diff_with_mandatory_violations(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preview = ["--preview", str(DIGESTS / "engine-mixed.json")]
    events = ["--events", str(DIGESTS / "engine-mixed-events.jsonl")]
    code, out, _ = comment(capsys, repo, *preview, *events)
    assert code == EXIT_MANDATORY_VIOLATIONS
    plan, live = out.split(SPLIT)
    # the pull request widened the catalogue: the section on what decides consent comes first
    assert plan.startswith(MARKER + "\n## ⚠️ This pull request changes what decides consent")
    assert "- `catalog/apps/microsoft-365-for-jira.yaml`\n" in plan
    assert "\n## Consent plan diff" in plan
    assert "mandatory" in live
    assert utf8_size(out) <= DEFAULT_BUDGET


def test_preview_exit_marks_a_failure(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = comment(
        capsys, repo, "--preview", str(DIGESTS / "engine-empty.json"), "--preview-exit", "255"
    )
    assert code == EXIT_PREVIEW_FAILED
    assert "**`pulumi preview` exited 255**: the preview did not complete" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "cannot read", id="missing-file"),
        pytest.param("not json", "preview.json", id="not-a-digest"),
    ],
)
def test_unreadable_preview_is_a_failure_in_the_comment(
    repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    message: str,
) -> None:
    path = tmp_path / "preview.json"
    if content is not None:
        path.write_text(content)
    code, out, _ = comment(capsys, repo, "--preview", str(path))
    assert code == EXIT_PREVIEW_FAILED
    _, live = out.split(SPLIT)
    assert live.startswith("## Live consent diff: the preview of stack `s` cannot be shown")
    assert message in live


def bad_repo(folder: Path, user: str) -> Path:
    repo = base_repo(folder / "repo")
    data = yaml.safe_load(AFTER)
    data["config"]["entra-consent:features"]["calendar"]["users"] = [user]
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(data, allow_unicode=False))
    return repo


def test_settings_that_do_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = bad_repo(tmp_path, "not-a-upn")
    code = main(["comment", "--stack", "s", "--base", "HEAD", "--project-dir", str(repo)])
    out = capsys.readouterr().out
    assert code == EXIT_SETTINGS
    assert out.splitlines()[:3] == [MARKER, "## Stack `s`: the settings do not load", ""]
    assert (
        "- `Pulumi.s.yaml: entra-consent:features.calendar.users[0]: 'not-a-upn' is neither a "
        "UPN nor an object id (write user@domain or the object id)`" in out.splitlines()
    )


@pytest.fixture(scope="module")
def bad_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bad_repo(tmp_path_factory.mktemp("bad"), "x")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(user=st.text(st.characters(codec="utf-8", exclude_characters="@")))
@example(user="x`\n\n# Approved\n<!--")
def test_problems_quoting_hostile_values_keep_the_structure(
    bad_settings: Path, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    def rendered(value: str) -> list[str]:
        data = yaml.safe_load(AFTER)
        data["config"]["entra-consent:features"]["calendar"]["users"] = [value]
        (bad_settings / "Pulumi.s.yaml").write_text(yaml.safe_dump(data, allow_unicode=False))
        args = ["--stack", "s", "--base", "HEAD", "--project-dir", str(bad_settings)]
        assert main(["comment", *args]) == EXIT_SETTINGS
        return structure(render(capsys.readouterr().out))

    assert rendered(user) == rendered("x")


@pytest.mark.parametrize("stack", ["a-->b", "a b", "", "s`", "../s"])
def test_a_stack_name_that_is_not_one_writes_no_comment(
    repo: Path, stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["comment", "--stack", stack, "--base", "HEAD", "--project-dir", str(repo)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("--stack: ") and "is not a stack name" in err


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan diff of 1,500 users and a live diff of 20,000 steps: both far over any budget."""
    repo = base_repo(tmp_path_factory.mktemp("big") / "repo")
    data = yaml.safe_load(AFTER)
    data["config"]["entra-consent:features"]["calendar"]["users"] = [
        f"user{i:04d}@contoso.com" for i in range(1500)
    ]
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(data))
    (repo / "preview.json").write_text(json.dumps(large_digest(20_000, stack="s")))
    return repo


@pytest.mark.parametrize("budget", [10_000, 30_000, DEFAULT_BUDGET])
def test_budget_split_gives_the_live_diff_two_thirds(
    big_repo: Path, budget: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both parts are far over budget: the live diff is rendered within two thirds of the room,
    the plan diff within what the live diff left."""
    args = ["--preview", str(big_repo / "preview.json"), "--max-bytes", str(budget)]
    main(["comment", "--stack", "s", "--base", "HEAD", "--project-dir", str(big_repo), *args])
    out = capsys.readouterr().out
    assert utf8_size(out) <= budget
    plan, live = out.split(SPLIT)
    # the head: the marker and the pack's offline verdict (no policy config in this repository)
    planned = planned_stack(big_repo, "s")
    head = MARKER + "\n" + offline_verdict(planned, big_repo, None).markdown
    assert head.endswith("not run (no `policies/config.example.json`).\n\n")
    room = budget - utf8_size(head) - utf8_size("\n".join(SEPARATOR))
    text = (big_repo / "preview.json").read_text()
    catalogue = load_catalogue(big_repo / "catalog")
    expected_live = render_digest(
        text, catalogue, None, file=str(big_repo / "preview.json"), budget=room - room // 3
    ).markdown
    assert live == expected_live
    doc = plan_against_base(big_repo, "s", "HEAD")
    assert plan == head + plan_diff_markdown(doc, budget=room - utf8_size(live))
    assert "- 1500 users: new grant: `Calendars.ReadWrite`," in plan


def test_small_parts_are_whole_and_full_writes_everything(
    big_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = tmp_path / "full.md"
    args = ["--preview", str(big_repo / "preview.json"), "--full", str(full)]
    main(["comment", "--stack", "s", "--base", "HEAD", "--project-dir", str(big_repo), *args])
    out = capsys.readouterr().out
    whole = full.read_text(encoding="utf-8")
    assert whole.splitlines()[0] == MARKER
    assert utf8_size(whole) > 5 * utf8_size(out)
    assert whole.count("  - user `user") == 3000  # every user, under the grant and assignment


def test_registered_with_its_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["comment", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for needle in ("--preview", "--events", "--preview-exit", "--max-bytes", "--full", "Exit"):
        assert needle in help_text


def test_a_preview_that_is_not_utf8_is_a_failed_preview_not_a_traceback(
    capsys: pytest.CaptureFixture[str], repo: Path, tmp_path: Path
) -> None:
    digest = tmp_path / "preview.json"
    digest.write_bytes(b"\xff\xfe{}")
    code, out, _ = comment(capsys, repo, "--preview", str(digest))
    assert code == EXIT_PREVIEW_FAILED
    assert "not UTF-8 text (byte 0)" in out


def test_a_plan_the_pack_refuses_fails_the_comment_without_a_live_preview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Forks and pull requests without a live preview learn what the mandatory pack says."""
    repo = base_repo(tmp_path / "repo")
    data = yaml.safe_load(AFTER)
    data["config"]["entra-consent:features"]["calendar"] = {
        "consent": "tenant",
        "optional_scopes": "all",
    }
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(data))
    (repo / "policies").mkdir()
    (repo / "policies" / "config.example.json").write_text(
        (REPO / "policies" / "config.example.json").read_text("utf-8")
    )
    code = main(["comment", "--stack", "s", "--base", "HEAD", "--project-dir", str(repo)])
    out = capsys.readouterr().out
    assert code == EXIT_MANDATORY_VIOLATIONS
    lines = out.splitlines()
    assert lines[:2] == [MARKER, "## ⛔ The policy pack will refuse this plan"]
    assert any(
        line.startswith("- `tenant-wide-privileged-scopes: grant m365-jira-mail-microsoft-graph")
        for line in lines
    )
    data["config"]["entra-consent:features"]["calendar"] = {
        "consent": "principals",
        "users": ["a@contoso.com"],
    }
    (repo / "Pulumi.s.yaml").write_text(yaml.safe_dump(data))
    assert (
        main(["comment", "--stack", "s", "--base", "HEAD", "--project-dir", str(repo)]) == EXIT_OK
    )
    assert (
        "**Policy pack, offline**: no mandatory rule refuses this plan" in capsys.readouterr().out
    )


def test_long_file_names_never_push_the_diffs_out(tmp_path: Path) -> None:
    """The opening sections take at most a fifth of the budget, whatever names they list."""
    from previews.cli.comment_command import Inputs, build_comment
    from previews.cli.comment_sections import deciding_markdown
    from previews.plan.deciding_files import DecidingFiles

    names = tuple(f"policies/{'x' * 3000}{i}.py" for i in range(50))
    deciding = deciding_markdown(DecidingFiles(names), "main")
    assert utf8_size(deciding) > 100_000
    inputs = Inputs(tmp_path, "s", "main", None, None, 0)
    comment = build_comment(inputs, [], [], 10_000, deciding).markdown
    assert utf8_size(comment) <= 10_000
    head, rest = comment.split(SPLIT)
    assert utf8_size(head) <= 10_000 // 5 + 200
    assert NO_PREVIEW in rest
