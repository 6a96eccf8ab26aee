"""What reviewers and operators run, by job: `plan/` (the offline plan and its diff against a git
ref), `render/` (`pulumi preview --json` to a consent diff), `tenant/` (the read-only Graph
client, discover, drift, import files), `cli/` (the `entra-consent` commands) and `markdown.py`
(the one Markdown kit). docs/design.md has the map."""
