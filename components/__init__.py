"""Stack settings, planner, principal look-ups and the Pulumi components."""
