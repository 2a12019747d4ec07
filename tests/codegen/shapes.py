"""An application's own geometry class (as shapely's would be), for the override recipe: the
user registers its codec on asyncpg and its loader and dumper on psycopg; the plugin only
annotates it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """A shape by its well-known text, the form PostGIS reads and the stand-in stores."""

    wkt: str

    @classmethod
    def from_text(cls, text: str) -> Shape:
        return cls(text)

    def to_text(self) -> str:
        return self.wkt
