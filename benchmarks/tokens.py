"""The Pulumi tokens the measuring process needs (`benchmarks/measure.py`: the harness's mocks
and the expected invokes), written here rather than imported from `components`.

Why a copy: `components.core.naming` imports the planner and with it the catalogue and pydantic,
and `components.lookups` the whole program; imported here, they would load before the clock
starts, so the timed program run would no longer pay for its own imports and the floors would
carry the program's modules in their memory. tests/benchmarks/test_tokens.py checks that these
equal the program's own constants and that the measuring process loads none of its modules.
"""

from __future__ import annotations

SERVICE_PRINCIPAL = "azuread:index/servicePrincipal:ServicePrincipal"  # SERVICE_PRINCIPAL_TYPE
GET_USERS = "azuread:index/getUsers:getUsers"
GET_GROUP = "azuread:index/getGroup:getGroup"  # the program calls the typed `get_group`
GET_SERVICE_PRINCIPAL = "azuread:index/getServicePrincipal:getServicePrincipal"
GET_CLIENT_CONFIG = "azuread:index/getClientConfig:getClientConfig"
