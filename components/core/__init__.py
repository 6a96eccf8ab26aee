"""The pure consent core: stack file and settings, principals, the planner, the one target type
and the resource names and type tokens. Imports neither Pulumi nor an HTTP client
(tests/test_boundaries.py); the policy pack is shipped with a copy of it."""
