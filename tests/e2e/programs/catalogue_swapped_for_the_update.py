"""Variant of __main__.py: the stack as it is, and, during the preview only, after declaring it,
the program adds `Files.ReadWrite.All` to the Teams feature in the catalogue file on disk. The
update of the same `pulumi up` then plans the Teams grant (tenant-wide) with that scope. The
pack must not judge the update by the rewritten catalogue."""

from pathlib import Path

import pulumi

from components.program import declare_stack

HERE = Path(__file__).resolve().parent
CATALOGUE_FILE = HERE / "catalog" / "apps" / "microsoft-365-for-jira.yaml"
declare_stack(HERE)
if pulumi.runtime.is_dry_run():
    CATALOGUE_FILE.write_text(
        CATALOGUE_FILE.read_text("utf-8").replace(
            "Chat.ReadWrite, Team.ReadBasic.All",
            "Chat.ReadWrite, Files.ReadWrite.All, Team.ReadBasic.All",
        ),
        "utf-8",
    )
