-- pgvector's vector: a list of floats through the codec init_connection registers.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE embeddings (
    id integer PRIMARY KEY,
    v vector(3) NOT NULL,
    maybe vector(2),
    many vector[]
);

-- halfvec: half precision, read and written as vector's text, through the same codec.
CREATE TABLE half_embeddings (
    id integer PRIMARY KEY,
    h halfvec(3) NOT NULL,
    many halfvec[]
);
