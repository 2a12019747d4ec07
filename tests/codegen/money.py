"""A column override target for the codegen tests: a validated Decimal type."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Money = Annotated[Decimal, Field(ge=0)]
