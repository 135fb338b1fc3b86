import { describe, expect, it } from "vitest";
import { exportRequestBody } from "@/components/research/export-form";
import { resolvePolicy } from "@/lib/domain/export/types";
import { initialFormPolicy, parsePolicyOptions, policyFromOptions } from "@/lib/validation/export";

describe("the export page's defaults", () => {
  it("are the schema's: the page, the CLI and the API resolve untouched defaults to one policy", () => {
    const schema = resolvePolicy({ kind: "dpo" });
    // What the page posts when nobody changes a field.
    const posted = JSON.parse(exportRequestBody("dpo", initialFormPolicy())) as { policy: Record<string, unknown> };
    const page = resolvePolicy({ ...parsePolicyOptions(posted.policy), kind: "dpo" });
    // The CLI and the API with no options.
    const cli = resolvePolicy({ ...policyFromOptions({}), kind: "dpo" });
    expect(page).toEqual(schema);
    expect(cli).toEqual(schema);
    expect(page.salt).toBe("");
    expect(page.minAgreement).toBe(2 / 3);
  });
});
