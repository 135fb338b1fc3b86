/**
 * The invariants of endpoints and generated candidates are database constraints: direct
 * SQL writes that would break them are refused by PostgreSQL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { pgError } from "./helpers/failure";

let t: TestDatabase;
let itemId: number;
let endpointId: number;

const q = (text: string, values: unknown[] = []) => t.pool.query(text, values);

beforeAll(async () => {
  t = await useTestDatabase();
  const project = await makeProject(t.db);
  const ch = await q(`insert into characters (name, profile, content_hash) values ('C', '{}', 'inv-c') returning id`);
  const it = await q(
    `insert into items (project_id, external_id, character_id, context, content_hash) values ($1, 'x', $2, '[{"role":"user","content":"hi"}]', 'h') returning id`,
    [project.id, ch.rows[0].id],
  );
  itemId = Number(it.rows[0].id);
  const ep = await q(`insert into model_endpoints (name, base_url, model) values ('ep', 'http://127.0.0.1:1/v1', 'm') returning id`);
  endpointId = Number(ep.rows[0].id);
});

describe("generation invariants", () => {
  it("one candidate per item × endpoint × sample index", async () => {
    await q(`insert into candidates (item_id, position, model, content, endpoint_id, sample_index) values ($1, 0, 'ep', 'a', $2, 0)`, [
      itemId,
      endpointId,
    ]);
    expect(
      await pgError(() =>
        q(`insert into candidates (item_id, position, model, content, endpoint_id, sample_index) values ($1, 1, 'ep', 'b', $2, 0)`, [
          itemId,
          endpointId,
        ]),
      ),
    ).toMatchObject({
      code: "23505",
      constraint: "candidates_item_endpoint_sample_key",
    });
    // Imported candidates (no endpoint) are not constrained by it.
    await q(`insert into candidates (item_id, position, model, content) values ($1, 1, 'ep', 'b'), ($1, 2, 'ep', 'c')`, [itemId]);
  });

  it("a generated candidate has its sample index, an imported one has neither", async () => {
    expect(
      await pgError(() =>
        q(`insert into candidates (item_id, position, model, content, endpoint_id) values ($1, 5, 'ep', 'z', $2)`, [itemId, endpointId]),
      ),
    ).toMatchObject({
      constraint: "candidates_generated_has_sample",
    });
    expect(
      await pgError(() =>
        q(`insert into candidates (item_id, position, model, content, sample_index) values ($1, 5, 'ep', 'z', 0)`, [itemId]),
      ),
    ).toMatchObject({
      constraint: "candidates_generated_has_sample",
    });
  });

  it("an endpoint with candidates cannot be deleted (archive it)", async () => {
    // Refused by a foreign key: restrict_violation (23001) or, when PostgreSQL checks the
    // referencing generation units first, foreign_key_violation (23503); both refuse the delete.
    expect(await pgError(() => q(`delete from model_endpoints where id = $1`, [endpointId]))).toMatchObject({
      code: expect.stringMatching(/^(23001|23503)$/),
    });
    expect((await q(`select count(*)::int as n from model_endpoints where id = $1`, [endpointId])).rows[0]).toEqual({ n: 1 });
  });

  it("endpoint rows: a name, an http(s) URL, a key variable NAME, sane limits", async () => {
    const bad: [string, string][] = [
      [`insert into model_endpoints (name, base_url, model) values ('has space', 'http://a/v1', 'm')`, "model_endpoints_name_format"],
      [`insert into model_endpoints (name, base_url, model) values ('e1', 'file:///etc', 'm')`, "model_endpoints_base_url_http"],
      [
        `insert into model_endpoints (name, base_url, model, api_key_env) values ('e2', 'http://a/v1', 'm', 'sk-live-123')`,
        "model_endpoints_api_key_env_name",
      ],
      [
        `insert into model_endpoints (name, base_url, model, concurrency) values ('e3', 'http://a/v1', 'm', 0)`,
        "model_endpoints_concurrency_range",
      ],
      [`insert into model_endpoints (name, base_url, model, rpm) values ('e4', 'http://a/v1', 'm', 0)`, "model_endpoints_rpm_positive"],
      [
        `insert into model_endpoints (name, base_url, model, timeout_ms) values ('e5', 'http://a/v1', 'm', 10)`,
        "model_endpoints_timeout_range",
      ],
      [`insert into model_endpoints (name, base_url, model) values ('ep', 'http://a/v1', 'm')`, "model_endpoints_name_key"],
    ];
    for (const [sql, constraint] of bad) expect(await pgError(() => q(sql))).toMatchObject({ constraint });
  });

  it("a job's unit is unique by item × endpoint × sample index", async () => {
    const project = await q(`select project_id from items where id = $1`, [itemId]);
    const job = await q(
      `insert into generation_jobs (project_id, samples, filter, total) values ($1, 1, '{"onlyMissing":false}', 1) returning id`,
      [project.rows[0].project_id],
    );
    const unit = [job.rows[0].id, itemId, endpointId];
    await q(`insert into generation_units (job_id, item_id, endpoint_id, sample_index) values ($1, $2, $3, 0)`, unit);
    expect(
      await pgError(() => q(`insert into generation_units (job_id, item_id, endpoint_id, sample_index) values ($1, $2, $3, 0)`, unit)),
    ).toMatchObject({
      constraint: "generation_units_job_item_endpoint_sample_key",
    });
    expect(await pgError(() => q(`update generation_units set state = 'done' where job_id = $1`, [job.rows[0].id]))).toMatchObject({
      constraint: "generation_units_done_is_finished",
    });
  });
});
