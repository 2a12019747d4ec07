-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';

-- Odds of a month with no partition land in the default partition (history imported before
-- its months were created, say). Creating that month's partition afterwards failed, because
-- the default already held rows of its range; now those rows move into the new partition.
CREATE OR REPLACE FUNCTION ensure_odds_partitions(first_month date, months integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    month_start date;
    range_start timestamptz;
    range_end timestamptz;
    partition_name text;
    created integer := 0;
BEGIN
    IF months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'ensure_odds_partitions: months must be 1..120, got %', months;
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        month_start := (date_trunc('month', first_month) + make_interval(months => i))::date;
        range_start := month_start::timestamp AT TIME ZONE 'UTC';
        range_end := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        partition_name := format('odds_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        CONTINUE WHEN to_regclass(format('odds_partitions.%I', partition_name)) IS NOT NULL;
        IF EXISTS (
            SELECT 1 FROM odds_partitions.odds_default
            WHERE observed_at >= range_start AND observed_at < range_end
        ) THEN
            EXECUTE format(
                'CREATE TABLE odds_partitions.%I (LIKE public.odds INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
                ' CHECK (observed_at >= %L AND observed_at < %L))',
                partition_name, range_start, range_end
            );
            EXECUTE format(
                'WITH moved AS (DELETE FROM odds_partitions.odds_default'
                ' WHERE observed_at >= %L AND observed_at < %L RETURNING *)'
                ' INSERT INTO odds_partitions.%I SELECT * FROM moved',
                range_start, range_end, partition_name
            );
            EXECUTE format(
                'ALTER TABLE public.odds ATTACH PARTITION odds_partitions.%I FOR VALUES FROM (%L) TO (%L)',
                partition_name, range_start, range_end
            );
        ELSE
            EXECUTE format(
                'CREATE TABLE odds_partitions.%I PARTITION OF public.odds FOR VALUES FROM (%L) TO (%L)',
                partition_name, range_start, range_end
            );
        END IF;
        created := created + 1;
    END LOOP;
    RETURN created;
END
$$;

-- migrate:down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';

CREATE OR REPLACE FUNCTION ensure_odds_partitions(first_month date, months integer)
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
