"""`pulumi preview --json` (the preview digest) and the engine event log, as far as the consent
diff reads them.

These formats belong to Pulumi, not to this project, so unlike our own files the models ignore
fields they do not name: a newer CLI adding a field must not break pull-request comments.
Fields: pulumi/pulumi `pkg/display` PreviewDigest / PreviewStep and `sdk/go/common/apitype`
EngineEvent / PolicyEvent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from catalog.problems import ConfigurationError, Problem, problems_from_validation

SECRET = "[secret]"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # an output not known until apply


class PulumiFormat(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ResourceState(PulumiFormat):
    urn: str = ""
    type: str = ""
    id: str | None = None
    parent: str | None = None
    external: bool = False  # read, not managed: the stack only looks it up
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    retain_on_delete: bool = Field(default=False, alias="retainOnDelete")
    # Resource options (apitype.ResourceV3): they decide what the stack governs, not consent.
    protect: bool | None = None
    provider: str | None = None  # "<provider URN>::<provider id>"
    import_id: str | None = Field(default=None, alias="importID")
    ignore_changes: list[str] | None = Field(default=None, alias="ignoreChanges")


class PropertyDiff(PulumiFormat):
    kind: str
    input_diff: bool = Field(default=False, alias="inputDiff")


class PreviewStep(PulumiFormat):
    op: str
    urn: str
    old_state: ResourceState | None = Field(default=None, alias="oldState")
    new_state: ResourceState | None = Field(default=None, alias="newState")
    diff_reasons: list[str] | None = Field(default=None, alias="diffReasons")
    replace_reasons: list[str] | None = Field(default=None, alias="replaceReasons")
    detailed_diff: dict[str, PropertyDiff] | None = Field(default=None, alias="detailedDiff")


class Diagnostic(PulumiFormat):
    urn: str | None = None
    prefix: str | None = None
    message: str = ""
    severity: str = "info"


class PreviewDigest(PulumiFormat):
    config: dict[str, Any] = Field(default_factory=dict)
    steps: list[PreviewStep] | None = None
    diagnostics: list[Diagnostic] | None = None
    change_summary: dict[str, int] | None = Field(default=None, alias="changeSummary")


class PolicyEvent(PulumiFormat):
    resource_urn: str | None = Field(default=None, alias="resourceUrn")
    message: str = ""
    policy_name: str = Field(default="", alias="policyName")
    policy_pack_name: str = Field(default="", alias="policyPackName")
    enforcement_level: str = Field(default="", alias="enforcementLevel")


class EngineEvent(PulumiFormat):
    policy_event: PolicyEvent | None = Field(default=None, alias="policyEvent")


def read_text(path: Path) -> str:
    """A digest or event log's text; one problem line when it cannot be read as UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 text (byte {exc.start}); give the file pulumi wrote"
    raise ConfigurationError([Problem(str(path), "", reason)])


def read_digest(path: Path) -> PreviewDigest:
    return parse_digest(read_text(path), str(path))


def parse_digest(text: str, file: str) -> PreviewDigest:
    if not text.strip():
        raise ConfigurationError(
            [Problem(file, "", "empty file (pass the output of `pulumi preview --json`)")]
        )
    try:
        return PreviewDigest.model_validate_json(text)
    except ValidationError as exc:
        raise ConfigurationError(_json_problems(exc, file)) from None


def _json_problems(exc: ValidationError, file: str) -> list[Problem]:
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return [Problem(file, "", "not valid JSON (pass the output of `pulumi preview --json`)")]
    return problems_from_validation(exc, file)


def read_policy_events(path: Path) -> list[PolicyEvent]:
    """Policy violations from an engine event log (`--event-log`, one JSON event a line)."""
    file = str(path)
    lines = read_text(path).splitlines()
    events: list[PolicyEvent] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            problems.append(Problem(file, f"line {number}", "not a JSON engine event"))
            continue
        try:
            event = EngineEvent.model_validate(data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, file, [f"line {number}"]))
            continue
        if event.policy_event is not None:
            events.append(event.policy_event)
    if problems:
        raise ConfigurationError(problems)
    return events
