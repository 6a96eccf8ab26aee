"""A stand-in for the pulumi-azuread 6.11.1 resource plugin (terraform-provider-azuread v3.9.0
bridged): Pulumi's provider gRPC protocol on one side, the simulated Microsoft Graph named by
ENTRA_CONSENT_SIM_GRAPH on the other. Started by `simtenant/bin/pulumi-resource-azuread`."""
