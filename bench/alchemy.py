"""SQLAlchemy 2 over the same tables: the mapped classes a team would write by hand, and the
engines of both flavours (asyncpg for the async side, psycopg 3 for the sync side)."""

from __future__ import annotations

import datetime
import decimal
import enum
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Engine,
    Enum,
    Integer,
    Numeric,
    SmallInteger,
    Text,
    create_engine,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from betdb.generated.models import DataSource, GameStatus, Market, Side


def _pg_enum(members: type[enum.StrEnum], name: str) -> Enum:
    return Enum(members, name=name, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    pass


class OddsRecord(Base):
    __tablename__ = "odds"

    # The table has no primary key; the observation's unique key serves as the identity.
    game_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sportsbook_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    market: Mapped[Market] = mapped_column(_pg_enum(Market, "market"), primary_key=True)
    side: Mapped[Side] = mapped_column(_pg_enum(Side, "side"), primary_key=True)
    line: Mapped[decimal.Decimal | None] = mapped_column(Numeric(5, 2), primary_key=True)
    price: Mapped[int] = mapped_column(Integer)
    observed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), primary_key=True
    )
    is_opening: Mapped[bool]
    is_closing: Mapped[bool]
    bet_limit: Mapped[decimal.Decimal | None] = mapped_column(Numeric(12, 2))
    source: Mapped[DataSource] = mapped_column(_pg_enum(DataSource, "data_source"))


class GameRecord(Base):
    __tablename__ = "games"

    game_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mlb_game_pk: Mapped[int | None] = mapped_column(BigInteger)
    sbr_game_id: Mapped[str | None] = mapped_column(Text)
    official_date: Mapped[datetime.date] = mapped_column(Date)
    home_team_id: Mapped[int] = mapped_column(Integer)
    away_team_id: Mapped[int] = mapped_column(Integer)
    game_number: Mapped[int] = mapped_column(SmallInteger)
    first_pitch_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    season: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[GameStatus] = mapped_column(_pg_enum(GameStatus, "game_status"))
    home_score: Mapped[int | None] = mapped_column(SmallInteger)
    away_score: Mapped[int | None] = mapped_column(SmallInteger)
    source: Mapped[DataSource] = mapped_column(_pg_enum(DataSource, "data_source"))


def engine(dsn: str, *, pool_size: int = 1) -> AsyncEngine:
    parts = urlsplit(dsn)
    # The asyncpg dialect passes query parameters to connect(), which knows no sslmode.
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "sslmode"])
    url = urlunsplit(("postgresql+asyncpg", parts.netloc, parts.path, query, ""))
    return create_async_engine(url, pool_size=pool_size, max_overflow=0)


def sessions(bound: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bound, expire_on_commit=False)


def sync_engine(dsn: str) -> Engine:
    """SQLAlchemy's sync engine on psycopg 3 (the postgresql+psycopg dialect), one connection."""
    parts = urlsplit(dsn)
    url = urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, parts.query, ""))
    return create_engine(url, pool_size=1, max_overflow=0)


def sync_sessions(bound: Engine) -> sessionmaker[Session]:
    return sessionmaker(bound, expire_on_commit=False)
