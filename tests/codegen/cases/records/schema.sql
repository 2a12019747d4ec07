CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE mood AS ENUM ('happy', 'sad', 'so-so', '1st');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);

-- People who write books.
CREATE TABLE authors (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    bio text,
    mood mood NOT NULL,
    moods mood[],
    tags text[] NOT NULL DEFAULT '{}',
    data jsonb,
    price numeric(10, 2),
    born timestamptz,
    birthday date,
    uid uuid,
    score positive_int,
    ip inet,
    net cidr,
    nick citext,
    code char(3),
    handle varchar(20),
    wakes time,
    wakes_tz timetz,
    local_ts timestamp,
    nap interval,
    avatar bytea,
    ratio real,
    weight double precision,
    rank smallint,
    flag boolean,
    matrix int[][],
    "lambda" text
);

CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id bigint REFERENCES authors (id),
    title text NOT NULL,
    cost numeric NOT NULL DEFAULT 0
);
