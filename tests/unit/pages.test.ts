import { describe, expect, it } from "vitest";
import { queryFilters } from "@/lib/pages";

describe("queryFilters", () => {
  it("keeps the named parameters that have a value and leaves out emptied ones", () => {
    const query = { model: "m-1", state: "", character: undefined, page: "2", other: "x" };
    expect(queryFilters(query, ["model", "state", "character"])).toEqual({ model: "m-1" });
  });

  it("returns nothing when no named parameter is set", () => {
    expect(queryFilters({}, ["action", "actor"])).toEqual({});
  });
});
