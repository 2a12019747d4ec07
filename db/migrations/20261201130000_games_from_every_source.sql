-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';
-- squawk-ignore-file disallowed-unique-constraint -- games is small (about 2,500 rows a season); the index builds in milliseconds
-- squawk-ignore-file prefer-bigint-over-int -- team and sportsbook ids are small (see teams, sportsbooks)
-- squawk-ignore-file constraint-missing-not-valid -- new, empty columns and tables: nothing to scan
-- squawk-ignore-file require-enum-value-ordering -- data_source is never ordered by; the new source goes last
-- squawk-ignore-file ban-drop-constraint -- games_some_external_id goes on purpose: SBR's archive games have no id

-- The Odds API names games by its own event id; its books are mapped like any source's.
ALTER TYPE data_source ADD VALUE IF NOT EXISTS 'odds_api';

CREATE TYPE doubleheader AS ENUM ('traditional', 'split');

-- A game may come first from a source without ids of its own (SBR's archive): it is then
-- known by its natural key alone, and a later source attaches its id to the same row.
ALTER TABLE games DROP CONSTRAINT games_some_external_id;

ALTER TABLE games
    ADD COLUMN odds_api_event_id text,
    ADD COLUMN doubleheader doubleheader,
    ADD COLUMN mlb_game_type text,
    ADD COLUMN detailed_state text,
    ADD COLUMN status_reason text,
    ADD COLUMN scheduled_date date,
    ADD COLUMN resumed_on date;

ALTER TABLE games
    ADD CONSTRAINT games_odds_api_event_id_key UNIQUE (odds_api_event_id),
    ADD CONSTRAINT games_odds_api_event_id_check CHECK (odds_api_event_id <> ''),
    ADD CONSTRAINT games_mlb_game_type_check CHECK (mlb_game_type ~ '^[A-Z]$');

COMMENT ON COLUMN games.doubleheader IS 'Stats API doubleHeader Y (traditional) or S (split); null when not one';
COMMENT ON COLUMN games.mlb_game_type IS 'Stats API gameType letter (R, F, D, L, W, S, E, A, ...): the postseason round';
COMMENT ON COLUMN games.detailed_state IS 'Stats API status.detailedState as sent, e.g. Postponed, Suspended: Rain';
COMMENT ON COLUMN games.status_reason IS 'Stats API status.reason, e.g. Inclement Weather';
COMMENT ON COLUMN games.scheduled_date IS 'the date the game was first scheduled for, when it was moved (postponed, made up, resumed)';
COMMENT ON COLUMN games.resumed_on IS 'a suspended game: the date play resumes or resumed';

-- SportsBookReview's archive codes (CUB, KAN, SDG, ...) and their drift between seasons.
INSERT INTO team_aliases (alias, team_id) VALUES
    ('CUB', 112), ('KAN', 118), ('SDG', 135), ('SFO', 137), ('TAM', 139), ('LOS', 119),
    ('FLA', 146), ('FLO', 146), ('MON', 120)
ON CONFLICT (alias) DO NOTHING;

-- Full club names as odds feeds write them, current and former, each naming one club.
CREATE TABLE team_names (
    name    text PRIMARY KEY CHECK (length(name) BETWEEN 2 AND 64),
    team_id integer NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE
);

CREATE INDEX team_names_team_id_idx ON team_names (team_id);

INSERT INTO team_names (name, team_id)
SELECT t.name, t.team_id FROM teams AS t;

INSERT INTO team_names (name, team_id) VALUES
    ('Oakland Athletics', 133), ('Las Vegas Athletics', 133), ('Sacramento Athletics', 133),
    ('Cleveland Indians', 114), ('Florida Marlins', 146), ('Tampa Bay Devil Rays', 139),
    ('Anaheim Angels', 108), ('Los Angeles Angels of Anaheim', 108), ('California Angels', 108),
    ('Montreal Expos', 120), ('Arizona D-backs', 109), ('St Louis Cardinals', 138)
ON CONFLICT (name) DO NOTHING;

CREATE TYPE line_moment AS ENUM ('opening', 'closing');

-- Opening and closing lines a source gives without an observation time (SBR's archive): kept
-- apart from the odds history, whose every row has the time it was seen, so nothing that
-- orders or windows by time can mistake them for observed ones.
CREATE TABLE untimed_lines (
    game_id       bigint NOT NULL REFERENCES games (game_id) ON DELETE CASCADE,
    sportsbook_id integer NOT NULL REFERENCES sportsbooks (sportsbook_id),
    market        market NOT NULL,
    side          side NOT NULL,
    moment        line_moment NOT NULL,
    line          numeric(5, 2),
    price         integer NOT NULL,
    source        data_source NOT NULL,
    CONSTRAINT untimed_lines_price_is_american CHECK (price <= -100 OR price >= 100),
    CONSTRAINT untimed_lines_side_fits_market CHECK (
        (side IN ('over', 'under')) = (market IN (
            'total', 'first_five_total', 'home_team_total', 'away_team_total', 'alternate_total'
        ))
    ),
    CONSTRAINT untimed_lines_line_fits_market CHECK (
        (line IS NULL) = (market IN ('moneyline', 'first_five_moneyline'))
    ),
    CONSTRAINT untimed_lines_pkey PRIMARY KEY (game_id, market, sportsbook_id, side, moment)
);

CREATE INDEX untimed_lines_sportsbook_id_idx ON untimed_lines (sportsbook_id);

INSERT INTO sportsbooks (key, name) VALUES ('sbr_archive', 'SBR archive')
ON CONFLICT (key) DO NOTHING;

-- migrate:down
SET LOCAL lock_timeout = '5s';

DELETE FROM sportsbooks WHERE key = 'sbr_archive';
DROP TABLE untimed_lines;
DROP TYPE line_moment;
DROP TABLE team_names;
DELETE FROM team_aliases WHERE alias IN ('CUB', 'KAN', 'SDG', 'SFO', 'TAM', 'LOS', 'FLA', 'FLO', 'MON');
ALTER TABLE games
    DROP COLUMN odds_api_event_id,
    DROP COLUMN doubleheader,
    DROP COLUMN mlb_game_type,
    DROP COLUMN detailed_state,
    DROP COLUMN status_reason,
    DROP COLUMN scheduled_date,
    DROP COLUMN resumed_on;
DROP TYPE doubleheader;
-- games from sources without ids cannot satisfy the old rule: they are removed first
DELETE FROM games WHERE num_nonnulls(mlb_game_pk, sbr_game_id, action_network_game_id) = 0;
ALTER TABLE games ADD CONSTRAINT games_some_external_id
    CHECK (num_nonnulls(mlb_game_pk, sbr_game_id, action_network_game_id) > 0);
-- PostgreSQL cannot drop an enum value: the type is made again without it.
DELETE FROM odds WHERE source = 'odds_api';
DELETE FROM betting_splits WHERE source = 'odds_api';
DELETE FROM sportsbook_mappings WHERE source = 'odds_api';
UPDATE games SET source = 'sbr' WHERE source = 'odds_api';
ALTER TYPE data_source RENAME TO data_source_with_odds_api;
CREATE TYPE data_source AS ENUM ('mlb', 'sbr', 'action_network', 'vsin', 'sbd');
ALTER TABLE games ALTER COLUMN source TYPE data_source USING source::text::data_source;
ALTER TABLE odds ALTER COLUMN source TYPE data_source USING source::text::data_source;
ALTER TABLE betting_splits ALTER COLUMN source TYPE data_source USING source::text::data_source;
ALTER TABLE sportsbook_mappings ALTER COLUMN source TYPE data_source USING source::text::data_source;
DROP TYPE data_source_with_odds_api;
