"""How a resource option change reads in a consent diff: the resource (its kind, name and
target) and what the option does to the stack's governance of it. Values through the Markdown
kit's `code()`."""

from __future__ import annotations

from previews.markdown import code
from previews.render.consent_changes import OptionChange
from previews.render.consent_unmapped import KINDS
from previews.render.render_changes import WARNING, Style, principal

HEADING = "### Resource options"
INTRO = (
    "Options that grant nothing by themselves but decide what the stack governs and what "
    "`pulumi up` may do to a resource:"
)
SAMES_HIDDEN = (
    "_This preview leaves out resources that otherwise stay the same (`pulumi preview` "
    "without `--show-sames`): options changed on them, `ignore_changes` at least, may be "
    "missing here._"
)


def option_line(style: Style, c: OptionChange) -> str:
    # a kind the renderer names itself, else the resource's type as the engine gave it
    kind = c.kind if c.kind in KINDS.values() else code(c.kind)
    what = f"{kind} {code(c.name)}"
    if c.target is not None:
        what += f" ({principal(style, c.target)})"
    return f"- {what}: {_effect(c)}"


def _effect(c: OptionChange) -> str:
    values = ", ".join(code(v) for v in c.values) or "(not shown)"
    if c.option == "import":
        return (
            f"{WARNING} **imported** ({values}): the stack takes over an object the tenant "
            "already holds; a grant's own line says whether its scopes differ from the declared"
        )
    if c.option == "ignore_changes":
        if c.on:
            return (
                f"{WARNING} **ignores changes** to {values}: the stack stops setting them, so "
                "what the tenant holds stays, whatever the stack declares"
            )
        return f"no longer ignores changes to {values}: the stack sets them again"
    if c.option == "provider":
        if c.on:
            return (
                f"{WARNING} **explicit provider** {values}: its own tenant, client and "
                "credential, not the stack's settings"
            )
        return f"back to the stack's own provider (was {values})"
    if c.option == "protect":
        if c.on:
            return (
                "**protected**: `pulumi up` cannot delete it, so removing it from the stack fails"
            )
        return "no longer protected"
    if c.on:
        return (
            f"{WARNING} **retained on delete**: removing it from the stack leaves it in the tenant"
        )
    return "no longer retained on delete: removing it from the stack deletes it in the tenant"
