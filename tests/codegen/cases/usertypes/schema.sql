-- Types a real schema defines itself: ranges of its own, enums and composites outside public,
-- domains and arrays of them, tid, a non-ASCII column name, and an extension type overridden
-- to a class of the application's own.
CREATE SCHEMA league;
CREATE TYPE league.tier AS ENUM ('major', 'minor');
CREATE TYPE league.score AS (home int, away int);

-- its multirange is floatmultirange, as PostgreSQL names it
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TYPE league.shift AS RANGE (
    subtype = time without time zone,
    multirange_type_name = league.shifts
);

CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN small AS positive CHECK (VALUE < 100);
CREATE DOMAIN league.nickname AS text NOT NULL;

-- A stand-in for PostGIS's geometry (the test server has no PostGIS): a base type of that name
-- on text's I/O functions, which no driver has a codec for, as neither has one for PostGIS's.
CREATE TYPE geometry;
CREATE FUNCTION geometry_in(cstring) RETURNS geometry AS 'textin' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION geometry_out(geometry) RETURNS cstring AS 'textout' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION geometry_recv(internal) RETURNS geometry AS 'textrecv' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION geometry_send(geometry) RETURNS bytea AS 'textsend' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE geometry (
    INPUT = geometry_in, OUTPUT = geometry_out, RECEIVE = geometry_recv, SEND = geometry_send,
    INTERNALLENGTH = VARIABLE
);

CREATE TABLE league.teams (
    id integer PRIMARY KEY,
    tier league.tier NOT NULL,
    tiers league.tier[],
    last_score league.score,
    nickname league.nickname NOT NULL
);

CREATE TABLE readings (
    id integer PRIMARY KEY,
    band floatrange,
    bands floatmultirange,
    shift league.shift,
    shifts league.shifts,
    count positive,
    counts positive[],
    smalls small[],
    "café" text,
    "crème" text,
    location tid,
    site geometry
);
