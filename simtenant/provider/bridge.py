"""What pulumi-terraform-bridge v3.137.0 (pulumi-azuread 6.11.1's) does around the provider,
where the simulated provider must do the same:

- `ignored()`: `ignoreChanges` in Diff and Update (pkg/tfbridge/provider.go `Diff` line 1184
  and `Update` line 1701 build `newIgnoreChanges`, pkg/tfbridge/diff.go lines 272-337; the
  shim drops the ignored attributes from Terraform's plan, pkg/tfshim/sdk-v2/instance_diff.go
  `processIgnoreChanges` lines 95-109, so the planned value is the prior state's): an ignored
  property keeps the prior state's value, shows no change, and Update does not touch it.
- `refreshed_inputs()`: on refresh, Read returns the old inputs with refreshed values
  (`ExtractInputsFromOutputs` with isRefresh, pkg/tfbridge/schema.go lines 2028-2038, and
  `extractInputsObject`/`extractInputs`, lines 1718-1861): only keys the old inputs hold,
  each dropped when the new state lacks it; a string or any scalar takes the new state's value;
  a list keeps its old length at most, position by position (scalar sets are not matched by
  value); an object keeps its old keys. `isRefresh` is "the request carries state"
  (provider.go line 1481): an import or `.get` (no state) takes every input from the state.
- `check_reason()`: a validation error as Check reports it (pkg/tfbridge/adapt_check_failures.go
  `parseCheckError` lines 61-97 and check_failures.go `NewCheckFailure` lines 187-216): the
  summary, ". " and the detail, then ". Examine values at '<name>.<path>'.", and no property."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from simtenant.provider.props import Props

_TOP_LEVEL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ignored(olds: Props, news: Props, paths: Sequence[str]) -> Props:
    """`news` with each ignored top-level property set to its prior state's value (absent when
    the state has none). Nested paths (`a.b`, `a[0]`) are left to the diff: no resource here
    needs them."""
    out = dict(news)
    for path in paths:
        if not _TOP_LEVEL.match(path):
            continue
        if path in olds and olds[path] is not None:
            out[path] = copy.deepcopy(olds[path])
        else:
            out.pop(path, None)
    return out


def refreshed_inputs(old_inputs: Props, outputs: Props) -> Props:
    out: Props = {}
    for key, old in old_inputs.items():
        if key in outputs and outputs[key] is not None:
            out[key] = _extract(old, outputs[key])
    return out


def _extract(old: Any, new: Any) -> Any:
    if isinstance(old, list) and isinstance(new, list):
        return [_extract(o, n) for o, n in zip(old, new, strict=False)]
    if isinstance(old, dict) and isinstance(new, dict):
        return {k: _extract(v, new[k]) for k, v in old.items() if k in new and new[k] is not None}
    return copy.deepcopy(new)


def check_reason(resource_name: str, summary: str, detail: str = "", path: str = "") -> str:
    reason = f"{summary}. {detail}" if detail else summary
    if path:
        reason = f"{reason}. Examine values at '{resource_name}.{path}'."
    return reason
