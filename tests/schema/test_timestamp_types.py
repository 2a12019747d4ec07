"""Timestamp and GameDay (issue 16, 2): placeholder and out-of-range times are refused before
any SQL runs, naming the field; every real time is kept exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from betdb.types import GameDay, Timestamp

UTC = dt.UTC


class Observation(BaseModel):
    observed_at: Timestamp
    official_date: GameDay


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime.min.replace(tzinfo=UTC),
        dt.datetime.max.replace(tzinfo=UTC),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(1870, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(2100, 1, 1, tzinfo=UTC),
    ],
)
def test_a_timestamp_outside_1871_to_2099_is_refused_naming_the_field(moment: dt.datetime) -> None:
    with pytest.raises(ValidationError) as refused:
        Observation(observed_at=moment, official_date=dt.date(2025, 6, 21))
    (error,) = refused.value.errors()
    assert error["loc"] == ("observed_at",)
    assert f"{moment.isoformat()} is out of range: times from 1871 to 2099 only" in error["msg"]


def test_a_timestamp_without_a_utc_offset_is_refused() -> None:
    with pytest.raises(ValidationError, match="a time must carry its UTC offset"):
        Observation(observed_at=dt.datetime(2025, 6, 21, 19), official_date=dt.date(2025, 6, 21))


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1871, 1, 1, tzinfo=UTC),
        dt.datetime(1870, 12, 31, 20, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
        dt.datetime(2025, 6, 21, 19, 5, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
        dt.datetime(2099, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_a_timestamp_inside_the_range_is_kept_exactly(moment: dt.datetime) -> None:
    kept = Observation(observed_at=moment, official_date=dt.date(2025, 6, 21)).observed_at
    assert (kept, kept.utcoffset()) == (moment, moment.utcoffset())


@pytest.mark.parametrize(
    "day", [dt.date.min, dt.date.max, dt.date(1870, 12, 31), dt.date(2100, 1, 1)]
)
def test_a_game_day_outside_1871_to_2099_is_refused(day: dt.date) -> None:
    with pytest.raises(ValidationError) as refused:
        Observation(observed_at=dt.datetime(2025, 6, 21, tzinfo=UTC), official_date=day)
    assert refused.value.errors()[0]["loc"] == ("official_date",)
    assert "dates from 1871 to 2099 only" in str(refused.value)
