-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';
-- squawk-ignore-file prefer-bigint-over-int -- sportsbook ids (a few dozen) and American prices fit 32 bits; 4 bytes a row saved on 10^8 rows

CREATE TYPE market AS ENUM (
    'moneyline', 'run_line', 'total',
    'first_five_moneyline', 'first_five_run_line', 'first_five_total',
    'home_team_total', 'away_team_total',
    'alternate_run_line', 'alternate_total'
);
CREATE TYPE side AS ENUM ('home', 'away', 'over', 'under');

-- Append-only price history in long format, about 10^8 rows a season: partitioned by month.
CREATE TABLE odds (
    game_id       bigint NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    sportsbook_id integer NOT NULL REFERENCES sportsbooks (sportsbook_id),
    market        market NOT NULL,
    side          side NOT NULL,
    line          numeric(5, 2),
    price         integer NOT NULL,
    observed_at   timestamptz NOT NULL,
    is_opening    boolean NOT NULL DEFAULT false,
    is_closing    boolean NOT NULL DEFAULT false,
    bet_limit     numeric(12, 2) CHECK (bet_limit > 0),
    source        data_source NOT NULL,
    CONSTRAINT odds_price_is_american CHECK (price <= -100 OR price >= 100),
    CONSTRAINT odds_side_fits_market CHECK (
        (side IN ('over', 'under')) = (market IN (
            'total', 'first_five_total', 'home_team_total', 'away_team_total', 'alternate_total'
        ))
    ),
    CONSTRAINT odds_line_fits_market CHECK (
        (line IS NULL) = (market IN ('moneyline', 'first_five_moneyline'))
    ),
    CONSTRAINT odds_total_line_positive CHECK (side NOT IN ('over', 'under') OR line > 0),
    CONSTRAINT odds_opening_or_closing CHECK (NOT (is_opening AND is_closing)),
    -- Also the index of every odds query: game, market, book, side, then time (moneyline's
    -- null line counts as a value so a repeated moneyline observation is a duplicate too).
    CONSTRAINT odds_observation_unique UNIQUE NULLS NOT DISTINCT
        (game_id, market, sportsbook_id, side, observed_at, line)
) PARTITION BY RANGE (observed_at);

CREATE INDEX odds_sportsbook_id_idx ON odds (sportsbook_id);

-- Partitions live apart from the tables queries name, so code generation sees only odds.
CREATE SCHEMA odds_partitions;

-- Rows outside every monthly partition land here instead of failing the ingest.
CREATE TABLE odds_partitions.odds_default PARTITION OF odds DEFAULT;

-- Creates the monthly partitions odds_partitions.odds_yYYYYmMM for `months` months from
-- first_month, skipping those that exist; returns how many it created. Bounds are UTC month
-- starts. Run it ahead of time: a month whose rows already sit in odds_default cannot get one.
CREATE FUNCTION ensure_odds_partitions(first_month date, months integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    month_start date;
    partition_name text;
    created integer := 0;
BEGIN
    IF months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'ensure_odds_partitions: months must be 1..120, got %', months;
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        month_start := (date_trunc('month', first_month) + make_interval(months => i))::date;
        partition_name := format('odds_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        CONTINUE WHEN to_regclass(format('odds_partitions.%I', partition_name)) IS NOT NULL;
        EXECUTE format(
            'CREATE TABLE odds_partitions.%I PARTITION OF public.odds FOR VALUES FROM (%L) TO (%L)',
            partition_name,
            month_start::timestamp AT TIME ZONE 'UTC',
            (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        );
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;

-- The 2026 and 2027 seasons, spring training to the World Series; later months via the function.
SELECT ensure_odds_partitions('2026-01-01', 24);

-- migrate:down
SET LOCAL lock_timeout = '5s';

DROP TABLE odds;
DROP SCHEMA odds_partitions;
DROP FUNCTION ensure_odds_partitions(date, integer);
DROP TYPE side;
DROP TYPE market;
