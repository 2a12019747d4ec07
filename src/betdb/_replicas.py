"""Read replicas: which one may serve a read now, judged by reachability and replay lag.

Driver neutral: a driver measures (runs REPLICA_LAG_SQL on the replica's pool and hands the
row to ``Replica.record``); the choice of replica and the lag bound are decided here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from betdb._redact import redact_dsn

logger = logging.getLogger("betdb.replicas")

P = TypeVar("P")

# Zero when the replica has replayed all it received; else the age of the last replayed commit.
REPLICA_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0.0
            -- behind, with no replayed transaction to date it yet: NULL, the lag is unknown
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
       END
"""


@dataclass
class Replica(Generic[P]):
    """One replica and what was last measured of it; ``pool`` is the driver's pool."""

    dsn: str
    pool: P | None = None
    reachable: bool = False
    lag_seconds: float | None = None
    checked_at: float = 0.0
    last_error: str | None = None

    @property
    def name(self) -> str:
        return redact_dsn(self.dsn)

    def record(self, row: tuple[Any, ...] | None) -> None:
        """What REPLICA_LAG_SQL returned, measured now."""
        self.checked_at = time.monotonic()
        assert row is not None
        in_recovery, lag = bool(row[0]), row[1]
        self.reachable = True
        self.lag_seconds = (None if lag is None else float(lag)) if in_recovery else 0.0
        if not in_recovery:
            self.last_error = "not in recovery (not a replica)"
        elif lag is None:
            # A replica that is behind but has replayed nothing since it started cannot say
            # how far behind it is; it serves no reads until it can.
            self.last_error = "behind the primary by an unknown time"
        else:
            self.last_error = None

    def record_unreachable(self, error: BaseException | str) -> None:
        self.checked_at = time.monotonic()
        if isinstance(error, BaseException) and self.reachable:
            logger.warning("replica %s is unreachable: %s", self.name, type(error).__name__)
        self.reachable, self.lag_seconds = False, None
        self.last_error = error if isinstance(error, str) else type(error).__name__


class ReplicaSet(Generic[P]):
    """Picks a replica for a read; None means read from the primary."""

    def __init__(
        self, replicas: list[Replica[P]], *, max_lag: float, check_interval: float
    ) -> None:
        self.replicas = replicas
        self.max_lag = max_lag
        self.check_interval = check_interval
        self._next = 0

    def in_turn(self) -> Iterator[Replica[P]]:
        """Every replica once, round robin from where the last choice stopped."""
        for _ in range(len(self.replicas)):
            replica = self.replicas[self._next % len(self.replicas)]
            self._next += 1
            yield replica

    def due(self, replica: Replica[P]) -> bool:
        """Whether the replica's lag is to be measured again before it serves a read."""
        return time.monotonic() - replica.checked_at >= self.check_interval

    def usable(self, replica: Replica[P]) -> bool:
        return (
            replica.reachable
            and replica.lag_seconds is not None
            and replica.lag_seconds <= self.max_lag
        )

    def mark_down(self, replica: Replica[P], error: BaseException) -> None:
        replica.reachable = False
        replica.last_error = type(error).__name__
        replica.checked_at = time.monotonic()
        logger.warning("replica %s failed (%s); reading from the primary", replica.name, error)
