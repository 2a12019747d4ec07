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

CREATE TABLE stations (
    id int PRIMARY KEY,
    name text NOT NULL,
    geom geometry,
    rainfall numeric
);
