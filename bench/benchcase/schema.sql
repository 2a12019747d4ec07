CREATE TYPE market AS ENUM ('moneyline', 'spread', 'total');
CREATE TABLE observations (
    id bigint PRIMARY KEY,
    game_id bigint NOT NULL,
    book text NOT NULL,
    market market NOT NULL,
    line numeric,
    price integer NOT NULL,
    observed_at timestamptz NOT NULL,
    meta jsonb
);
