"""Consent previews: the offline plan and (later) rendered `pulumi preview` diffs."""
