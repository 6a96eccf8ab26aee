from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000"


def is_guid(value: str) -> bool:
    return bool(_GUID.fullmatch(value))


def _checked_guid(value: str) -> str:
    if not is_guid(value):
        raise PydanticCustomError(
            "guid",
            "malformed GUID {value} (write it as 8-4-4-4-12 hexadecimal digits)",
            {"value": repr(value)},
        )
    return value.lower()


Guid = Annotated[str, AfterValidator(_checked_guid)]
