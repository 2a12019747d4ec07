-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';

-- The US books The Odds API quotes; others are reported on import (or added with --add-books).
INSERT INTO sportsbooks (key, name) VALUES
    ('bovada', 'Bovada'),
    ('betonlineag', 'BetOnline.ag'),
    ('lowvig', 'LowVig.ag'),
    ('mybookieag', 'MyBookie.ag'),
    ('betus', 'BetUS'),
    ('superbook', 'SuperBook'),
    ('wynnbet', 'WynnBET'),
    ('unibet_us', 'Unibet'),
    ('pointsbetus', 'PointsBet'),
    ('twinspires', 'TwinSpires'),
    ('barstool', 'Barstool Sportsbook'),
    ('foxbet', 'FOX Bet'),
    ('gtbets', 'GTbets'),
    ('sugarhouse', 'SugarHouse')
ON CONFLICT (key) DO NOTHING;

-- Odds API bookmaker keys that differ from ours; the rest are our keys already.
INSERT INTO sportsbook_mappings (source, external_id, sportsbook_id)
SELECT 'odds_api', m.external_id, s.sportsbook_id
FROM (VALUES
    ('pinnacle', 'pinnacle'), ('circasports', 'circa'), ('draftkings', 'draftkings'),
    ('fanduel', 'fanduel'), ('betmgm', 'betmgm'), ('williamhill_us', 'caesars'),
    ('betrivers', 'betrivers'), ('espnbet', 'espnbet'), ('fanatics', 'fanatics'),
    ('bovada', 'bovada'), ('betonlineag', 'betonlineag'), ('lowvig', 'lowvig'),
    ('mybookieag', 'mybookieag'), ('betus', 'betus'), ('superbook', 'superbook'),
    ('wynnbet', 'wynnbet'), ('unibet_us', 'unibet_us'), ('pointsbetus', 'pointsbetus'),
    ('twinspires', 'twinspires'), ('barstool', 'barstool'), ('foxbet', 'foxbet'),
    ('gtbets', 'gtbets'), ('sugarhouse', 'sugarhouse')
) AS m (external_id, book_key)
JOIN sportsbooks AS s ON s.key = m.book_key
ON CONFLICT (source, external_id) DO NOTHING;

-- migrate:down
SET LOCAL lock_timeout = '5s';

DELETE FROM sportsbook_mappings WHERE source = 'odds_api';
DELETE FROM sportsbooks WHERE key IN (
    'bovada', 'betonlineag', 'lowvig', 'mybookieag', 'betus', 'superbook', 'wynnbet',
    'unibet_us', 'pointsbetus', 'twinspires', 'barstool', 'foxbet', 'gtbets', 'sugarhouse'
);
