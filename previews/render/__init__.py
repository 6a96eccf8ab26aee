"""`pulumi preview --json` and its event log to a consent diff (grants, assignments, service
principals, policy violations) and the pull-request comment; the CI gate's verdict."""
