"""The tenant side: the read-only Microsoft Graph client (the project's only network I/O),
discover, the drift report and the `pulumi import --file` document."""
