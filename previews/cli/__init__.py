"""The `entra-consent` commands: each module parses its arguments, calls typed functions of the
packages beside it and maps their results to exit codes."""
