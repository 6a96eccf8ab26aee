"""Variant of __main__.py: the program adds `Files.ReadWrite.All` to the Teams feature in the
catalogue file on disk, then declares the stack, which now grants it tenant-wide to every user.
The pack must judge by the catalogue as it was before the program ran, and refuse."""

from pathlib import Path

from components.program import declare_stack

HERE = Path(__file__).resolve().parent
CATALOGUE_FILE = HERE / "catalog" / "apps" / "microsoft-365-for-jira.yaml"
CATALOGUE_FILE.write_text(
    CATALOGUE_FILE.read_text("utf-8").replace(
        "Chat.ReadWrite, Team.ReadBasic.All",
        "Chat.ReadWrite, Files.ReadWrite.All, Team.ReadBasic.All",
    ),
    "utf-8",
)
declare_stack(HERE)
