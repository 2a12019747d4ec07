SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: odds_partitions; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA odds_partitions;


--
-- Name: analysis_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.analysis_type AS ENUM (
    'sharp_action',
    'line_value',
    'public_fade',
    'reverse_line_movement',
    'steam_move',
    'model'
);


--
-- Name: confidence_level; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.confidence_level AS ENUM (
    'low',
    'medium',
    'high',
    'very_high'
);


--
-- Name: data_quality; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.data_quality AS ENUM (
    'high',
    'medium',
    'low'
);


--
-- Name: data_source; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.data_source AS ENUM (
    'mlb',
    'sbr',
    'action_network',
    'vsin',
    'sbd',
    'odds_api'
);


--
-- Name: division; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.division AS ENUM (
    'East',
    'Central',
    'West'
);


--
-- Name: doubleheader; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.doubleheader AS ENUM (
    'traditional',
    'split'
);


--
-- Name: game_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.game_status AS ENUM (
    'scheduled',
    'pre_game',
    'live',
    'final',
    'postponed',
    'cancelled',
    'suspended',
    'delayed'
);


--
-- Name: game_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.game_type AS ENUM (
    'regular',
    'postseason',
    'spring',
    'exhibition',
    'all_star'
);


--
-- Name: league; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.league AS ENUM (
    'AL',
    'NL'
);


--
-- Name: line_moment; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.line_moment AS ENUM (
    'opening',
    'closing'
);


--
-- Name: market; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.market AS ENUM (
    'moneyline',
    'run_line',
    'total',
    'first_five_moneyline',
    'first_five_run_line',
    'first_five_total',
    'home_team_total',
    'away_team_total',
    'alternate_run_line',
    'alternate_total'
);


--
-- Name: recommendation; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.recommendation AS ENUM (
    'bet',
    'lean',
    'pass',
    'fade'
);


--
-- Name: risk_level; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.risk_level AS ENUM (
    'low',
    'medium',
    'high'
);


--
-- Name: season_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.season_type AS ENUM (
    'preseason',
    'regular',
    'postseason'
);


--
-- Name: side; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.side AS ENUM (
    'home',
    'away',
    'over',
    'under'
);


--
-- Name: signal_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.signal_type AS ENUM (
    'steam_move',
    'reverse_line_movement',
    'sharp_money',
    'line_freeze',
    'book_conflict'
);


--
-- Name: confidence_band(numeric); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.confidence_band(score numeric) RETURNS public.confidence_level
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN (score >= 0.95) THEN 'very_high'::public.confidence_level WHEN (score >= 0.80) THEN 'high'::public.confidence_level WHEN (score >= 0.65) THEN 'medium'::public.confidence_level WHEN (score >= 0.50) THEN 'low'::public.confidence_level ELSE NULL::public.confidence_level END;


--
-- Name: ensure_odds_partitions(date, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ensure_odds_partitions(first_month date, months integer) RETURNS integer
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


SET default_tablespace = '';

--
-- Name: odds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.odds (
    game_id bigint NOT NULL,
    sportsbook_id integer NOT NULL,
    market public.market NOT NULL,
    side public.side NOT NULL,
    line numeric(5,2),
    price integer NOT NULL,
    observed_at timestamp with time zone NOT NULL,
    is_opening boolean DEFAULT false NOT NULL,
    is_closing boolean DEFAULT false NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
)
PARTITION BY RANGE (observed_at);


SET default_table_access_method = heap;

--
-- Name: odds_default; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_default (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m01; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m01 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m02; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m02 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m03; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m03 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m04; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m04 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m05; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m05 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m06; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m06 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m07; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m07 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m08; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m08 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m09; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m09 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m10; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m10 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m11; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m11 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2026m12; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2026m12 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m01; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m01 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m02; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m02 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m03; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m03 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m04; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m04 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m05; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m05 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m06; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m06 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m07; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m07 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m08; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m08 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m09; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m09 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m10; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m10 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m11; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m11 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: odds_y2027m12; Type: TABLE; Schema: odds_partitions; Owner: -
--

CREATE TABLE odds_partitions.odds_y2027m12 (
    game_id bigint CONSTRAINT odds_game_id_not_null NOT NULL,
    sportsbook_id integer CONSTRAINT odds_sportsbook_id_not_null NOT NULL,
    market public.market CONSTRAINT odds_market_not_null NOT NULL,
    side public.side CONSTRAINT odds_side_not_null NOT NULL,
    line numeric(5,2),
    price integer CONSTRAINT odds_price_not_null NOT NULL,
    observed_at timestamp with time zone CONSTRAINT odds_observed_at_not_null NOT NULL,
    is_opening boolean DEFAULT false CONSTRAINT odds_is_opening_not_null NOT NULL,
    is_closing boolean DEFAULT false CONSTRAINT odds_is_closing_not_null NOT NULL,
    bet_limit numeric(12,2),
    source public.data_source CONSTRAINT odds_source_not_null NOT NULL,
    CONSTRAINT odds_bet_limit_check CHECK ((bet_limit > (0)::numeric)),
    CONSTRAINT odds_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT odds_opening_or_closing CHECK ((NOT (is_opening AND is_closing))),
    CONSTRAINT odds_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT odds_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market])))),
    CONSTRAINT odds_total_line_positive CHECK (((side <> ALL (ARRAY['over'::public.side, 'under'::public.side])) OR (line > (0)::numeric)))
);


--
-- Name: betting_analyses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.betting_analyses (
    analysis_id bigint NOT NULL,
    game_id bigint NOT NULL,
    analysis_type public.analysis_type NOT NULL,
    strategy_name text NOT NULL,
    strategy_version text NOT NULL,
    market public.market NOT NULL,
    side public.side NOT NULL,
    signals_detected text[] DEFAULT '{}'::text[] NOT NULL,
    confidence_score numeric(5,4) NOT NULL,
    confidence_level public.confidence_level GENERATED ALWAYS AS (public.confidence_band(confidence_score)) STORED,
    recommendation public.recommendation NOT NULL,
    risk_level public.risk_level NOT NULL,
    features jsonb DEFAULT '{}'::jsonb NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT betting_analyses_confidence_score_check CHECK (((confidence_score >= (0)::numeric) AND (confidence_score <= (1)::numeric))),
    CONSTRAINT betting_analyses_features_check CHECK ((jsonb_typeof(features) = 'object'::text)),
    CONSTRAINT betting_analyses_strategy_name_check CHECK ((strategy_name <> ''::text)),
    CONSTRAINT betting_analyses_strategy_version_check CHECK ((strategy_version <> ''::text))
);


--
-- Name: betting_analyses_analysis_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.betting_analyses ALTER COLUMN analysis_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.betting_analyses_analysis_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: betting_splits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.betting_splits (
    split_id bigint NOT NULL,
    game_id bigint NOT NULL,
    market public.market NOT NULL,
    side public.side NOT NULL,
    source public.data_source NOT NULL,
    line numeric(5,2),
    bet_pct numeric(5,4),
    money_pct numeric(5,4),
    bet_count integer,
    captured_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT betting_splits_bet_count_check CHECK ((bet_count >= 0)),
    CONSTRAINT betting_splits_bet_pct_check CHECK (((bet_pct >= (0)::numeric) AND (bet_pct <= (1)::numeric))),
    CONSTRAINT betting_splits_has_a_share CHECK ((num_nonnulls(bet_pct, money_pct) > 0)),
    CONSTRAINT betting_splits_money_pct_check CHECK (((money_pct >= (0)::numeric) AND (money_pct <= (1)::numeric)))
);


--
-- Name: betting_splits_split_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.betting_splits ALTER COLUMN split_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.betting_splits_split_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: games; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.games (
    game_id bigint NOT NULL,
    mlb_game_pk bigint,
    sbr_game_id text,
    action_network_game_id integer,
    official_date date NOT NULL,
    home_team_id integer NOT NULL,
    away_team_id integer NOT NULL,
    game_number smallint DEFAULT 1 NOT NULL,
    first_pitch_at timestamp with time zone,
    season smallint NOT NULL,
    season_type public.season_type DEFAULT 'regular'::public.season_type NOT NULL,
    game_type public.game_type DEFAULT 'regular'::public.game_type NOT NULL,
    status public.game_status DEFAULT 'scheduled'::public.game_status NOT NULL,
    home_score smallint,
    away_score smallint,
    venue jsonb,
    weather jsonb,
    probable_pitchers jsonb,
    source public.data_source NOT NULL,
    source_url text,
    source_updated_at timestamp with time zone,
    data_quality public.data_quality DEFAULT 'high'::public.data_quality NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    odds_api_event_id text,
    doubleheader public.doubleheader,
    mlb_game_type text,
    detailed_state text,
    status_reason text,
    scheduled_date date,
    resumed_on date,
    CONSTRAINT games_action_network_game_id_check CHECK ((action_network_game_id > 0)),
    CONSTRAINT games_away_score_check CHECK ((away_score >= 0)),
    CONSTRAINT games_game_number_check CHECK ((game_number = ANY (ARRAY[1, 2]))),
    CONSTRAINT games_home_score_check CHECK ((home_score >= 0)),
    CONSTRAINT games_mlb_game_pk_check CHECK ((mlb_game_pk > 0)),
    CONSTRAINT games_mlb_game_type_check CHECK ((mlb_game_type ~ '^[A-Z]$'::text)),
    CONSTRAINT games_odds_api_event_id_check CHECK ((odds_api_event_id <> ''::text)),
    CONSTRAINT games_probable_pitchers_check CHECK ((jsonb_typeof(probable_pitchers) = 'object'::text)),
    CONSTRAINT games_sbr_game_id_check CHECK ((sbr_game_id <> ''::text)),
    CONSTRAINT games_scores_paired CHECK (((home_score IS NULL) = (away_score IS NULL))),
    CONSTRAINT games_season_check CHECK (((season >= 1876) AND (season <= 2200))),
    CONSTRAINT games_teams_differ CHECK ((home_team_id <> away_team_id)),
    CONSTRAINT games_venue_check CHECK ((jsonb_typeof(venue) = 'object'::text)),
    CONSTRAINT games_weather_check CHECK ((jsonb_typeof(weather) = 'object'::text))
);


--
-- Name: COLUMN games.doubleheader; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.doubleheader IS 'Stats API doubleHeader Y (traditional) or S (split); null when not one';


--
-- Name: COLUMN games.mlb_game_type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.mlb_game_type IS 'Stats API gameType letter (R, F, D, L, W, S, E, A, ...): the postseason round';


--
-- Name: COLUMN games.detailed_state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.detailed_state IS 'Stats API status.detailedState as sent, e.g. Postponed, Suspended: Rain';


--
-- Name: COLUMN games.status_reason; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.status_reason IS 'Stats API status.reason, e.g. Inclement Weather';


--
-- Name: COLUMN games.scheduled_date; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.scheduled_date IS 'the date the game was first scheduled for, when it was moved (postponed, made up, resumed)';


--
-- Name: COLUMN games.resumed_on; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.games.resumed_on IS 'a suspended game: the date play resumes or resumed';


--
-- Name: games_game_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.games ALTER COLUMN game_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.games_game_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: sharp_signals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sharp_signals (
    signal_id bigint NOT NULL,
    game_id bigint NOT NULL,
    signal_type public.signal_type NOT NULL,
    detector_name text NOT NULL,
    detector_version text NOT NULL,
    market public.market NOT NULL,
    side public.side NOT NULL,
    sportsbook_id integer,
    signal_strength numeric(5,4) NOT NULL,
    confidence_score numeric(5,4) NOT NULL,
    confidence_level public.confidence_level GENERATED ALWAYS AS (public.confidence_band(confidence_score)) STORED,
    features jsonb DEFAULT '{}'::jsonb NOT NULL,
    detected_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sharp_signals_confidence_score_check CHECK (((confidence_score >= (0)::numeric) AND (confidence_score <= (1)::numeric))),
    CONSTRAINT sharp_signals_detector_name_check CHECK ((detector_name <> ''::text)),
    CONSTRAINT sharp_signals_detector_version_check CHECK ((detector_version <> ''::text)),
    CONSTRAINT sharp_signals_features_check CHECK ((jsonb_typeof(features) = 'object'::text)),
    CONSTRAINT sharp_signals_signal_strength_check CHECK (((signal_strength >= (0)::numeric) AND (signal_strength <= (1)::numeric)))
);


--
-- Name: sharp_signals_signal_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sharp_signals ALTER COLUMN signal_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.sharp_signals_signal_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: sportsbook_mappings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sportsbook_mappings (
    source public.data_source NOT NULL,
    external_id text NOT NULL,
    sportsbook_id integer NOT NULL,
    CONSTRAINT sportsbook_mappings_external_id_check CHECK ((external_id <> ''::text))
);


--
-- Name: sportsbooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sportsbooks (
    sportsbook_id integer NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sportsbooks_key_check CHECK ((key ~ '^[a-z0-9_]{2,32}$'::text)),
    CONSTRAINT sportsbooks_name_check CHECK (((length(name) >= 2) AND (length(name) <= 64)))
);


--
-- Name: sportsbooks_sportsbook_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sportsbooks ALTER COLUMN sportsbook_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.sportsbooks_sportsbook_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: team_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_aliases (
    alias text NOT NULL,
    team_id integer NOT NULL,
    CONSTRAINT team_aliases_alias_check CHECK ((alias ~ '^[A-Z]{2,4}$'::text))
);


--
-- Name: team_names; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_names (
    name text NOT NULL,
    team_id integer NOT NULL,
    CONSTRAINT team_names_name_check CHECK (((length(name) >= 2) AND (length(name) <= 64)))
);


--
-- Name: teams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.teams (
    team_id integer NOT NULL,
    abbreviation text NOT NULL,
    name text NOT NULL,
    league public.league NOT NULL,
    division public.division NOT NULL,
    CONSTRAINT teams_abbreviation_check CHECK ((abbreviation ~ '^[A-Z]{2,3}$'::text)),
    CONSTRAINT teams_name_check CHECK (((length(name) >= 2) AND (length(name) <= 64))),
    CONSTRAINT teams_team_id_check CHECK ((team_id > 0))
);


--
-- Name: untimed_lines; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.untimed_lines (
    game_id bigint NOT NULL,
    sportsbook_id integer NOT NULL,
    market public.market NOT NULL,
    side public.side NOT NULL,
    moment public.line_moment NOT NULL,
    line numeric(5,2),
    price integer NOT NULL,
    source public.data_source NOT NULL,
    CONSTRAINT untimed_lines_line_fits_market CHECK (((line IS NULL) = (market = ANY (ARRAY['moneyline'::public.market, 'first_five_moneyline'::public.market])))),
    CONSTRAINT untimed_lines_price_is_american CHECK (((price <= '-100'::integer) OR (price >= 100))),
    CONSTRAINT untimed_lines_side_fits_market CHECK (((side = ANY (ARRAY['over'::public.side, 'under'::public.side])) = (market = ANY (ARRAY['total'::public.market, 'first_five_total'::public.market, 'home_team_total'::public.market, 'away_team_total'::public.market, 'alternate_total'::public.market]))))
);


--
-- Name: odds_default; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_default DEFAULT;


--
-- Name: odds_y2026m01; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m01 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');


--
-- Name: odds_y2026m02; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m02 FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');


--
-- Name: odds_y2026m03; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m03 FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');


--
-- Name: odds_y2026m04; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m04 FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00');


--
-- Name: odds_y2026m05; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m05 FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00');


--
-- Name: odds_y2026m06; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m06 FOR VALUES FROM ('2026-06-01 00:00:00+00') TO ('2026-07-01 00:00:00+00');


--
-- Name: odds_y2026m07; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m07 FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-08-01 00:00:00+00');


--
-- Name: odds_y2026m08; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m08 FOR VALUES FROM ('2026-08-01 00:00:00+00') TO ('2026-09-01 00:00:00+00');


--
-- Name: odds_y2026m09; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m09 FOR VALUES FROM ('2026-09-01 00:00:00+00') TO ('2026-10-01 00:00:00+00');


--
-- Name: odds_y2026m10; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m10 FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');


--
-- Name: odds_y2026m11; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m11 FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');


--
-- Name: odds_y2026m12; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2026m12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: odds_y2027m01; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: odds_y2027m02; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: odds_y2027m03; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m03 FOR VALUES FROM ('2027-03-01 00:00:00+00') TO ('2027-04-01 00:00:00+00');


--
-- Name: odds_y2027m04; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m04 FOR VALUES FROM ('2027-04-01 00:00:00+00') TO ('2027-05-01 00:00:00+00');


--
-- Name: odds_y2027m05; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m05 FOR VALUES FROM ('2027-05-01 00:00:00+00') TO ('2027-06-01 00:00:00+00');


--
-- Name: odds_y2027m06; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m06 FOR VALUES FROM ('2027-06-01 00:00:00+00') TO ('2027-07-01 00:00:00+00');


--
-- Name: odds_y2027m07; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m07 FOR VALUES FROM ('2027-07-01 00:00:00+00') TO ('2027-08-01 00:00:00+00');


--
-- Name: odds_y2027m08; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m08 FOR VALUES FROM ('2027-08-01 00:00:00+00') TO ('2027-09-01 00:00:00+00');


--
-- Name: odds_y2027m09; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m09 FOR VALUES FROM ('2027-09-01 00:00:00+00') TO ('2027-10-01 00:00:00+00');


--
-- Name: odds_y2027m10; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m10 FOR VALUES FROM ('2027-10-01 00:00:00+00') TO ('2027-11-01 00:00:00+00');


--
-- Name: odds_y2027m11; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m11 FOR VALUES FROM ('2027-11-01 00:00:00+00') TO ('2027-12-01 00:00:00+00');


--
-- Name: odds_y2027m12; Type: TABLE ATTACH; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY public.odds ATTACH PARTITION odds_partitions.odds_y2027m12 FOR VALUES FROM ('2027-12-01 00:00:00+00') TO ('2028-01-01 00:00:00+00');


--
-- Name: odds odds_observation_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.odds
    ADD CONSTRAINT odds_observation_unique UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_default odds_default_game_id_market_sportsbook_id_side_observed_at__key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_default
    ADD CONSTRAINT odds_default_game_id_market_sportsbook_id_side_observed_at__key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m01 odds_y2026m01_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m01
    ADD CONSTRAINT odds_y2026m01_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m02 odds_y2026m02_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m02
    ADD CONSTRAINT odds_y2026m02_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m03 odds_y2026m03_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m03
    ADD CONSTRAINT odds_y2026m03_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m04 odds_y2026m04_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m04
    ADD CONSTRAINT odds_y2026m04_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m05 odds_y2026m05_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m05
    ADD CONSTRAINT odds_y2026m05_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m06 odds_y2026m06_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m06
    ADD CONSTRAINT odds_y2026m06_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m07 odds_y2026m07_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m07
    ADD CONSTRAINT odds_y2026m07_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m08 odds_y2026m08_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m08
    ADD CONSTRAINT odds_y2026m08_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m09 odds_y2026m09_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m09
    ADD CONSTRAINT odds_y2026m09_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m10 odds_y2026m10_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m10
    ADD CONSTRAINT odds_y2026m10_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m11 odds_y2026m11_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m11
    ADD CONSTRAINT odds_y2026m11_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2026m12 odds_y2026m12_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2026m12
    ADD CONSTRAINT odds_y2026m12_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m01 odds_y2027m01_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m01
    ADD CONSTRAINT odds_y2027m01_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m02 odds_y2027m02_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m02
    ADD CONSTRAINT odds_y2027m02_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m03 odds_y2027m03_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m03
    ADD CONSTRAINT odds_y2027m03_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m04 odds_y2027m04_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m04
    ADD CONSTRAINT odds_y2027m04_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m05 odds_y2027m05_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m05
    ADD CONSTRAINT odds_y2027m05_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m06 odds_y2027m06_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m06
    ADD CONSTRAINT odds_y2027m06_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m07 odds_y2027m07_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m07
    ADD CONSTRAINT odds_y2027m07_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m08 odds_y2027m08_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m08
    ADD CONSTRAINT odds_y2027m08_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m09 odds_y2027m09_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m09
    ADD CONSTRAINT odds_y2027m09_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m10 odds_y2027m10_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m10
    ADD CONSTRAINT odds_y2027m10_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m11 odds_y2027m11_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m11
    ADD CONSTRAINT odds_y2027m11_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: odds_y2027m12 odds_y2027m12_game_id_market_sportsbook_id_side_observed_at_key; Type: CONSTRAINT; Schema: odds_partitions; Owner: -
--

ALTER TABLE ONLY odds_partitions.odds_y2027m12
    ADD CONSTRAINT odds_y2027m12_game_id_market_sportsbook_id_side_observed_at_key UNIQUE NULLS NOT DISTINCT (game_id, market, sportsbook_id, side, observed_at, line);


--
-- Name: betting_analyses betting_analyses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.betting_analyses
    ADD CONSTRAINT betting_analyses_pkey PRIMARY KEY (analysis_id);


--
-- Name: betting_splits betting_splits_capture_unique; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.betting_splits
    ADD CONSTRAINT betting_splits_capture_unique UNIQUE (game_id, market, source, side, captured_at);


--
-- Name: betting_splits betting_splits_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.betting_splits
    ADD CONSTRAINT betting_splits_pkey PRIMARY KEY (split_id);


--
-- Name: games games_action_network_game_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_action_network_game_id_key UNIQUE (action_network_game_id);


--
-- Name: games games_mlb_game_pk_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_mlb_game_pk_key UNIQUE (mlb_game_pk);


--
-- Name: games games_natural_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_natural_key UNIQUE (official_date, home_team_id, away_team_id, game_number);


--
-- Name: games games_odds_api_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_odds_api_event_id_key UNIQUE (odds_api_event_id);


--
-- Name: games games_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_pkey PRIMARY KEY (game_id);


--
-- Name: games games_sbr_game_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_sbr_game_id_key UNIQUE (sbr_game_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sharp_signals sharp_signals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sharp_signals
    ADD CONSTRAINT sharp_signals_pkey PRIMARY KEY (signal_id);


--
-- Name: sportsbook_mappings sportsbook_mappings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sportsbook_mappings
    ADD CONSTRAINT sportsbook_mappings_pkey PRIMARY KEY (source, external_id);


--
-- Name: sportsbooks sportsbooks_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sportsbooks
    ADD CONSTRAINT sportsbooks_key_key UNIQUE (key);


--
-- Name: sportsbooks sportsbooks_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sportsbooks
    ADD CONSTRAINT sportsbooks_name_key UNIQUE (name);


--
-- Name: sportsbooks sportsbooks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sportsbooks
    ADD CONSTRAINT sportsbooks_pkey PRIMARY KEY (sportsbook_id);


--
-- Name: team_aliases team_aliases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_aliases
    ADD CONSTRAINT team_aliases_pkey PRIMARY KEY (alias);


--
-- Name: team_names team_names_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_names
    ADD CONSTRAINT team_names_pkey PRIMARY KEY (name);


--
-- Name: teams teams_abbreviation_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_abbreviation_key UNIQUE (abbreviation);


--
-- Name: teams teams_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_name_key UNIQUE (name);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (team_id);


--
-- Name: untimed_lines untimed_lines_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.untimed_lines
    ADD CONSTRAINT untimed_lines_pkey PRIMARY KEY (game_id, market, sportsbook_id, side, moment);


--
-- Name: odds_sportsbook_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX odds_sportsbook_id_idx ON ONLY public.odds USING btree (sportsbook_id);


--
-- Name: odds_default_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_default_sportsbook_id_idx ON odds_partitions.odds_default USING btree (sportsbook_id);


--
-- Name: odds_y2026m01_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m01_sportsbook_id_idx ON odds_partitions.odds_y2026m01 USING btree (sportsbook_id);


--
-- Name: odds_y2026m02_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m02_sportsbook_id_idx ON odds_partitions.odds_y2026m02 USING btree (sportsbook_id);


--
-- Name: odds_y2026m03_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m03_sportsbook_id_idx ON odds_partitions.odds_y2026m03 USING btree (sportsbook_id);


--
-- Name: odds_y2026m04_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m04_sportsbook_id_idx ON odds_partitions.odds_y2026m04 USING btree (sportsbook_id);


--
-- Name: odds_y2026m05_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m05_sportsbook_id_idx ON odds_partitions.odds_y2026m05 USING btree (sportsbook_id);


--
-- Name: odds_y2026m06_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m06_sportsbook_id_idx ON odds_partitions.odds_y2026m06 USING btree (sportsbook_id);


--
-- Name: odds_y2026m07_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m07_sportsbook_id_idx ON odds_partitions.odds_y2026m07 USING btree (sportsbook_id);


--
-- Name: odds_y2026m08_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m08_sportsbook_id_idx ON odds_partitions.odds_y2026m08 USING btree (sportsbook_id);


--
-- Name: odds_y2026m09_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m09_sportsbook_id_idx ON odds_partitions.odds_y2026m09 USING btree (sportsbook_id);


--
-- Name: odds_y2026m10_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m10_sportsbook_id_idx ON odds_partitions.odds_y2026m10 USING btree (sportsbook_id);


--
-- Name: odds_y2026m11_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m11_sportsbook_id_idx ON odds_partitions.odds_y2026m11 USING btree (sportsbook_id);


--
-- Name: odds_y2026m12_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2026m12_sportsbook_id_idx ON odds_partitions.odds_y2026m12 USING btree (sportsbook_id);


--
-- Name: odds_y2027m01_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m01_sportsbook_id_idx ON odds_partitions.odds_y2027m01 USING btree (sportsbook_id);


--
-- Name: odds_y2027m02_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m02_sportsbook_id_idx ON odds_partitions.odds_y2027m02 USING btree (sportsbook_id);


--
-- Name: odds_y2027m03_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m03_sportsbook_id_idx ON odds_partitions.odds_y2027m03 USING btree (sportsbook_id);


--
-- Name: odds_y2027m04_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m04_sportsbook_id_idx ON odds_partitions.odds_y2027m04 USING btree (sportsbook_id);


--
-- Name: odds_y2027m05_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m05_sportsbook_id_idx ON odds_partitions.odds_y2027m05 USING btree (sportsbook_id);


--
-- Name: odds_y2027m06_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m06_sportsbook_id_idx ON odds_partitions.odds_y2027m06 USING btree (sportsbook_id);


--
-- Name: odds_y2027m07_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m07_sportsbook_id_idx ON odds_partitions.odds_y2027m07 USING btree (sportsbook_id);


--
-- Name: odds_y2027m08_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m08_sportsbook_id_idx ON odds_partitions.odds_y2027m08 USING btree (sportsbook_id);


--
-- Name: odds_y2027m09_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m09_sportsbook_id_idx ON odds_partitions.odds_y2027m09 USING btree (sportsbook_id);


--
-- Name: odds_y2027m10_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m10_sportsbook_id_idx ON odds_partitions.odds_y2027m10 USING btree (sportsbook_id);


--
-- Name: odds_y2027m11_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m11_sportsbook_id_idx ON odds_partitions.odds_y2027m11 USING btree (sportsbook_id);


--
-- Name: odds_y2027m12_sportsbook_id_idx; Type: INDEX; Schema: odds_partitions; Owner: -
--

CREATE INDEX odds_y2027m12_sportsbook_id_idx ON odds_partitions.odds_y2027m12 USING btree (sportsbook_id);


--
-- Name: betting_analyses_confidence_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX betting_analyses_confidence_idx ON public.betting_analyses USING btree (confidence_score DESC);


--
-- Name: betting_analyses_game_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX betting_analyses_game_id_idx ON public.betting_analyses USING btree (game_id, created_at);


--
-- Name: games_away_team_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX games_away_team_idx ON public.games USING btree (away_team_id, official_date);


--
-- Name: games_home_team_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX games_home_team_idx ON public.games USING btree (home_team_id, official_date);


--
-- Name: games_live_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX games_live_idx ON public.games USING btree (first_pitch_at) WHERE (status = 'live'::public.game_status);


--
-- Name: sharp_signals_game_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sharp_signals_game_id_idx ON public.sharp_signals USING btree (game_id, detected_at);


--
-- Name: sharp_signals_sportsbook_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sharp_signals_sportsbook_id_idx ON public.sharp_signals USING btree (sportsbook_id);


--
-- Name: sharp_signals_strength_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sharp_signals_strength_idx ON public.sharp_signals USING btree (signal_strength DESC);


--
-- Name: sportsbook_mappings_sportsbook_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sportsbook_mappings_sportsbook_id_idx ON public.sportsbook_mappings USING btree (sportsbook_id);


--
-- Name: team_aliases_team_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_aliases_team_id_idx ON public.team_aliases USING btree (team_id);


--
-- Name: team_names_team_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_names_team_id_idx ON public.team_names USING btree (team_id);


--
-- Name: untimed_lines_sportsbook_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX untimed_lines_sportsbook_id_idx ON public.untimed_lines USING btree (sportsbook_id);


--
-- Name: odds_default_game_id_market_sportsbook_id_side_observed_at__key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_default_game_id_market_sportsbook_id_side_observed_at__key;


--
-- Name: odds_default_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_default_sportsbook_id_idx;


--
-- Name: odds_y2026m01_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m01_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m01_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m01_sportsbook_id_idx;


--
-- Name: odds_y2026m02_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m02_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m02_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m02_sportsbook_id_idx;


--
-- Name: odds_y2026m03_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m03_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m03_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m03_sportsbook_id_idx;


--
-- Name: odds_y2026m04_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m04_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m04_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m04_sportsbook_id_idx;


--
-- Name: odds_y2026m05_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m05_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m05_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m05_sportsbook_id_idx;


--
-- Name: odds_y2026m06_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m06_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m06_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m06_sportsbook_id_idx;


--
-- Name: odds_y2026m07_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m07_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m07_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m07_sportsbook_id_idx;


--
-- Name: odds_y2026m08_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m08_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m08_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m08_sportsbook_id_idx;


--
-- Name: odds_y2026m09_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m09_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m09_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m09_sportsbook_id_idx;


--
-- Name: odds_y2026m10_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m10_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m10_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m10_sportsbook_id_idx;


--
-- Name: odds_y2026m11_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m11_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m11_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m11_sportsbook_id_idx;


--
-- Name: odds_y2026m12_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2026m12_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2026m12_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2026m12_sportsbook_id_idx;


--
-- Name: odds_y2027m01_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m01_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m01_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m01_sportsbook_id_idx;


--
-- Name: odds_y2027m02_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m02_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m02_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m02_sportsbook_id_idx;


--
-- Name: odds_y2027m03_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m03_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m03_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m03_sportsbook_id_idx;


--
-- Name: odds_y2027m04_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m04_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m04_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m04_sportsbook_id_idx;


--
-- Name: odds_y2027m05_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m05_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m05_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m05_sportsbook_id_idx;


--
-- Name: odds_y2027m06_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m06_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m06_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m06_sportsbook_id_idx;


--
-- Name: odds_y2027m07_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m07_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m07_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m07_sportsbook_id_idx;


--
-- Name: odds_y2027m08_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m08_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m08_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m08_sportsbook_id_idx;


--
-- Name: odds_y2027m09_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m09_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m09_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m09_sportsbook_id_idx;


--
-- Name: odds_y2027m10_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m10_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m10_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m10_sportsbook_id_idx;


--
-- Name: odds_y2027m11_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m11_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m11_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m11_sportsbook_id_idx;


--
-- Name: odds_y2027m12_game_id_market_sportsbook_id_side_observed_at_key; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_observation_unique ATTACH PARTITION odds_partitions.odds_y2027m12_game_id_market_sportsbook_id_side_observed_at_key;


--
-- Name: odds_y2027m12_sportsbook_id_idx; Type: INDEX ATTACH; Schema: odds_partitions; Owner: -
--

ALTER INDEX public.odds_sportsbook_id_idx ATTACH PARTITION odds_partitions.odds_y2027m12_sportsbook_id_idx;


--
-- Name: betting_analyses betting_analyses_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.betting_analyses
    ADD CONSTRAINT betting_analyses_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.games(game_id) ON DELETE CASCADE;


--
-- Name: betting_splits betting_splits_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.betting_splits
    ADD CONSTRAINT betting_splits_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.games(game_id) ON DELETE CASCADE;


--
-- Name: games games_away_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_away_team_id_fkey FOREIGN KEY (away_team_id) REFERENCES public.teams(team_id);


--
-- Name: games games_home_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.games
    ADD CONSTRAINT games_home_team_id_fkey FOREIGN KEY (home_team_id) REFERENCES public.teams(team_id);


--
-- Name: odds odds_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.odds
    ADD CONSTRAINT odds_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.games(game_id) ON DELETE CASCADE;


--
-- Name: odds odds_sportsbook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.odds
    ADD CONSTRAINT odds_sportsbook_id_fkey FOREIGN KEY (sportsbook_id) REFERENCES public.sportsbooks(sportsbook_id);


--
-- Name: sharp_signals sharp_signals_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sharp_signals
    ADD CONSTRAINT sharp_signals_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.games(game_id) ON DELETE CASCADE;


--
-- Name: sharp_signals sharp_signals_sportsbook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sharp_signals
    ADD CONSTRAINT sharp_signals_sportsbook_id_fkey FOREIGN KEY (sportsbook_id) REFERENCES public.sportsbooks(sportsbook_id);


--
-- Name: sportsbook_mappings sportsbook_mappings_sportsbook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sportsbook_mappings
    ADD CONSTRAINT sportsbook_mappings_sportsbook_id_fkey FOREIGN KEY (sportsbook_id) REFERENCES public.sportsbooks(sportsbook_id) ON DELETE CASCADE;


--
-- Name: team_aliases team_aliases_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_aliases
    ADD CONSTRAINT team_aliases_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(team_id) ON DELETE CASCADE;


--
-- Name: team_names team_names_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_names
    ADD CONSTRAINT team_names_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(team_id) ON DELETE CASCADE;


--
-- Name: untimed_lines untimed_lines_game_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.untimed_lines
    ADD CONSTRAINT untimed_lines_game_id_fkey FOREIGN KEY (game_id) REFERENCES public.games(game_id) ON DELETE CASCADE;


--
-- Name: untimed_lines untimed_lines_sportsbook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.untimed_lines
    ADD CONSTRAINT untimed_lines_sportsbook_id_fkey FOREIGN KEY (sportsbook_id) REFERENCES public.sportsbooks(sportsbook_id);


--
-- PostgreSQL database dump complete
--



--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20260101000000'),
    ('20260102000000'),
    ('20260103000000'),
    ('20260104000000'),
    ('20260105000000'),
    ('20260106000000'),
    ('20260107000000'),
    ('20261201120000'),
    ('20261201130000'),
    ('20261201130100');
