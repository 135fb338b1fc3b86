-- The assignment engine's display-order rule (docs/adr/0004-annotator-loop-in-the-database.md),
-- the SQL twin of chooseDisplayOrder in lib/domain/assignment.ts; the integration test
-- tests/integration/annotation-lease-function.test.ts checks both answer alike.
-- chooseDisplayOrder: the candidate shown first is one that was first least often (ties
-- broken by the first random number), the rest in Fisher–Yates order drawn from the next
-- ones; random() only when the numbers passed in run out.
CREATE OR REPLACE FUNCTION arbiter_display_order(p_k int, p_used_firsts int[], p_rands float8[]) RETURNS smallint[]
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  counts int[];
  fewest int;
  choices int[] := '{}';
  lead_slot int;
  rest int[] := '{}';
  f int;
  n int;
  i int;
  j int;
  tmp int;
  r int := 1;
  u float8;
BEGIN
  IF p_k IS NULL OR p_k < 2 THEN
    RAISE EXCEPTION 'a task has at least 2 candidates, got %', p_k;
  END IF;
  counts := array_fill(0, ARRAY[p_k]);
  FOREACH f IN ARRAY coalesce(p_used_firsts, '{}'::int[]) LOOP
    IF f IS NOT NULL AND f >= 0 AND f < p_k THEN
      counts[f + 1] := counts[f + 1] + 1;
    END IF;
  END LOOP;
  SELECT min(c) INTO fewest FROM unnest(counts) AS c;
  FOR i IN 0 .. p_k - 1 LOOP
    IF counts[i + 1] = fewest THEN choices := choices || i; END IF;
  END LOOP;
  n := cardinality(choices);
  u := coalesce(p_rands[r], random()); r := r + 1;
  lead_slot := choices[least(n - 1, floor(u * n)::int) + 1];
  IF p_k = 2 THEN
    RETURN ARRAY[lead_slot, 1 - lead_slot]::smallint[];
  END IF;
  FOR i IN 0 .. p_k - 1 LOOP
    IF i <> lead_slot THEN rest := rest || i; END IF;
  END LOOP;
  FOR i IN REVERSE cardinality(rest) - 1 .. 1 LOOP
    u := coalesce(p_rands[r], random()); r := r + 1;
    j := least(i, floor(u * (i + 1))::int);
    tmp := rest[i + 1]; rest[i + 1] := rest[j + 1]; rest[j + 1] := tmp;
  END LOOP;
  RETURN (ARRAY[lead_slot] || rest)::smallint[];
END
$$;
