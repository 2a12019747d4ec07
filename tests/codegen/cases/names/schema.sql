-- Every column is named after a module some generated file imports: none may hide it.
CREATE TYPE enum AS ENUM ('a', 'b');

CREATE TABLE modules (
    uuid uuid PRIMARY KEY,
    datetime timestamptz NOT NULL,
    decimal numeric NOT NULL,
    ipaddress inet NOT NULL,
    enum enum NOT NULL,
    pydantic jsonb NOT NULL,
    json json,
    asyncpg text,
    gc integer,
    operator text,
    typing text,
    collections text,
    codegen numeric
);
