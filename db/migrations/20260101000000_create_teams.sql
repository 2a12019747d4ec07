-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';
-- squawk-ignore-file prefer-bigint-over-int -- team ids are the MLB Stats API's own small ids (108..158)

CREATE TYPE league AS ENUM ('AL', 'NL');
CREATE TYPE division AS ENUM ('East', 'Central', 'West');

-- The 30 clubs, keyed by the MLB Stats API team id; abbreviation is the Stats API's own.
CREATE TABLE teams (
    team_id      integer PRIMARY KEY CHECK (team_id > 0),
    abbreviation text NOT NULL UNIQUE CHECK (abbreviation ~ '^[A-Z]{2,3}$'),
    name         text NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 64),
    league       league NOT NULL,
    division     division NOT NULL
);

-- Other spellings of a club used by sportsbooks and scrapers (ARI for AZ, OAK for ATH, ...).
CREATE TABLE team_aliases (
    alias   text PRIMARY KEY CHECK (alias ~ '^[A-Z]{2,4}$'),
    team_id integer NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE
);

CREATE INDEX team_aliases_team_id_idx ON team_aliases (team_id);

INSERT INTO teams (team_id, abbreviation, name, league, division) VALUES
    (108, 'LAA', 'Los Angeles Angels', 'AL', 'West'),
    (109, 'AZ', 'Arizona Diamondbacks', 'NL', 'West'),
    (110, 'BAL', 'Baltimore Orioles', 'AL', 'East'),
    (111, 'BOS', 'Boston Red Sox', 'AL', 'East'),
    (112, 'CHC', 'Chicago Cubs', 'NL', 'Central'),
    (113, 'CIN', 'Cincinnati Reds', 'NL', 'Central'),
    (114, 'CLE', 'Cleveland Guardians', 'AL', 'Central'),
    (115, 'COL', 'Colorado Rockies', 'NL', 'West'),
    (116, 'DET', 'Detroit Tigers', 'AL', 'Central'),
    (117, 'HOU', 'Houston Astros', 'AL', 'West'),
    (118, 'KC', 'Kansas City Royals', 'AL', 'Central'),
    (119, 'LAD', 'Los Angeles Dodgers', 'NL', 'West'),
    (120, 'WSH', 'Washington Nationals', 'NL', 'East'),
    (121, 'NYM', 'New York Mets', 'NL', 'East'),
    (133, 'ATH', 'Athletics', 'AL', 'West'),
    (134, 'PIT', 'Pittsburgh Pirates', 'NL', 'Central'),
    (135, 'SD', 'San Diego Padres', 'NL', 'West'),
    (136, 'SEA', 'Seattle Mariners', 'AL', 'West'),
    (137, 'SF', 'San Francisco Giants', 'NL', 'West'),
    (138, 'STL', 'St. Louis Cardinals', 'NL', 'Central'),
    (139, 'TB', 'Tampa Bay Rays', 'AL', 'East'),
    (140, 'TEX', 'Texas Rangers', 'AL', 'West'),
    (141, 'TOR', 'Toronto Blue Jays', 'AL', 'East'),
    (142, 'MIN', 'Minnesota Twins', 'AL', 'Central'),
    (143, 'PHI', 'Philadelphia Phillies', 'NL', 'East'),
    (144, 'ATL', 'Atlanta Braves', 'NL', 'East'),
    (145, 'CWS', 'Chicago White Sox', 'AL', 'Central'),
    (146, 'MIA', 'Miami Marlins', 'NL', 'East'),
    (147, 'NYY', 'New York Yankees', 'AL', 'East'),
    (158, 'MIL', 'Milwaukee Brewers', 'NL', 'Central');

INSERT INTO team_aliases (alias, team_id) VALUES
    ('ARI', 109), ('AZD', 109),
    ('OAK', 133), ('LV', 133),
    ('CHW', 145), ('CHA', 145),
    ('WSN', 120), ('WAS', 120),
    ('TBR', 139), ('TBD', 139),
    ('KCR', 118),
    ('SDP', 135),
    ('SFG', 137),
    ('LAN', 119), ('NYN', 121), ('NYA', 147), ('CHN', 112), ('SLN', 138), ('ANA', 108);

-- migrate:down
SET LOCAL lock_timeout = '5s';

DROP TABLE team_aliases;
DROP TABLE teams;
DROP TYPE division;
DROP TYPE league;
