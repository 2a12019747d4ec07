-- migrate:up
SET LOCAL lock_timeout = '30s';
SET LOCAL statement_timeout = '60s';

-- ensure_odds_partitions during an import failed with deadlocks (40P01) and "updated partition
-- constraint for default partition would be violated": it checked the default partition, then
-- locked tables one by one while writers kept adding rows there. Now it locks odds first.
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
    missing boolean := false;
BEGIN
    IF months IS NULL OR months < 1 OR months > 120 THEN
        RAISE EXCEPTION 'ensure_odds_partitions: months must be 1..120, got %', months;
    END IF;
    FOR i IN 0 .. months - 1 LOOP
        month_start := (date_trunc('month', first_month) + make_interval(months => i))::date;
        partition_name := format('odds_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        missing := missing OR to_regclass(format('odds_partitions.%I', partition_name)) IS NULL;
    END LOOP;
    IF NOT missing THEN
        RETURN 0;
    END IF;
    -- Writers lock odds, then the partition a row goes to; taking odds (and with it every
    -- partition) first and at once, in the strongest mode this function needs, leaves no lock
    -- to upgrade and no order to invert, and no row can reach the default partition between
    -- the check below and the partition's creation. Writers wait for the commit, briefly.
    LOCK TABLE public.odds IN ACCESS EXCLUSIVE MODE;
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
