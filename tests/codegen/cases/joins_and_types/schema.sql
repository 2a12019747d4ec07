CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE DOMAIN emails AS email[];
CREATE TYPE point2 AS (x double precision, y double precision);

CREATE TABLE teams (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE players (
    id integer PRIMARY KEY,
    team_id integer REFERENCES teams (id),
    mentor_id integer REFERENCES players (id),
    name text NOT NULL,
    contact email,
    home point2
);
