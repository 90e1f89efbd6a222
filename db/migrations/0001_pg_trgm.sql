-- Trigram matching for the officer's certificate search (spec 06 §Dashboard: search by CN, OU, mail
-- and serial, fast at 100,000 certificates). pg_trgm is a trusted extension (PostgreSQL 13+): the
-- database owner may create it; PGlite loads it from its contrib bundle (db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
