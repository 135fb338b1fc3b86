-- The assignment engine's gold rule (docs/adr/0004-annotator-loop-in-the-database.md), the
-- SQL twin of shouldInjectGold in lib/domain/assignment.ts with the random number passed
-- in; tests/integration/annotation-lease-function.test.ts checks both answer alike.
CREATE OR REPLACE FUNCTION arbiter_should_inject_gold(p_ratio float8, p_gold int, p_total int, p_u float8) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(p_ratio, 0) > 0 AND p_gold + p_u < p_ratio * (p_total + 1)
$$;
