-- Columns named like Python keywords and pydantic.BaseModel's own attributes.
CREATE TABLE keywords (
    id integer PRIMARY KEY,
    "return" text NOT NULL,
    class text,
    "from" integer,
    model_config text,
    schema text,
    copy text,
    json text,
    dict text,
    validate boolean,
    renamed text
);

CREATE MATERIALIZED VIEW ones AS SELECT 1;
