-- Extension types: their codecs are installed only where the extension is.
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE labels (
    id integer PRIMARY KEY,
    attrs hstore,
    path ltree,
    attrs_list hstore[],
    paths ltree[]
);
