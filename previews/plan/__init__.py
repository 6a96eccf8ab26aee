"""The offline plan (`entra-consent plan`): the stack's desired consent as a document (JSON,
Markdown) and its diff against the same stack at a git ref. No tenant, no Pulumi."""
