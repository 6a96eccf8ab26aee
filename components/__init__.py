"""The Pulumi shell around the pure consent core (`components/core/`): the program, the
`EnterpriseApp` and `ResourceApi` components and the look-ups (invokes). It takes no decisions."""
