-- pgvector's vector: a list of floats through the codec init_connection registers.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE embeddings (
    id integer PRIMARY KEY,
    v vector(3) NOT NULL,
    maybe vector(2),
    many vector[]
);
