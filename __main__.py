"""entra-consent: a stack's Microsoft 365 app consent, declared in Entra ID."""

from pathlib import Path

from components.program import declare_stack

declare_stack(Path(__file__).resolve().parent)
