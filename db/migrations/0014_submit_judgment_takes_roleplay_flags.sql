-- arbiter_submit_judgment gains a p_roleplay_flags argument (db/functions/). A new argument
-- list is a new function to PostgreSQL, so the old one is dropped here and the repeatable
-- definitions, applied after the migrations, create the new one.
DROP FUNCTION IF EXISTS arbiter_submit_judgment(bigint, bigint, timestamptz, int, smallint[], boolean, jsonb, jsonb, text, real);
