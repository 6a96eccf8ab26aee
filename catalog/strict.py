"""The one base of the project's own pydantic formats.

`Strict`: unknown keys are refused and values are frozen (every format the project defines: the
plan document, the drift report, import files, policy config). `StrictTypes` adds no coercion,
for the files people write by hand (catalogue, stack settings), where `"true"` or `1` standing
for a boolean is a mistake to report, not to guess. Formats others own (Pulumi's, Graph's) use
`extra="ignore"` models of their own instead.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StrictTypes(Strict):
    model_config = ConfigDict(strict=True)
