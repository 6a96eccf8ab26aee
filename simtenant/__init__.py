"""A simulated Entra tenant for the tests and the newcomer's sandbox (DESIGN.md §9): a
Microsoft Graph v1.0 compatible server (`simtenant.graph`, `python -m simtenant serve`) and
the `azuread` resource plugin that talks to it (`simtenant.provider`)."""
