-- pgvector must exist before any table declares a vector column. Enabling it is the only hand-written migration.
CREATE EXTENSION IF NOT EXISTS vector;
