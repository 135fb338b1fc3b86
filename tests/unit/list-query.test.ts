import { describe, expect, it } from "vitest";
import { ItemListInput } from "@/lib/validation/items";
import { pageNumber, pageSize, queryFlag } from "@/lib/validation/list-query";
import { ReviewQueueInput } from "@/lib/validation/review";
import { UserListInput } from "@/lib/validation/users";

describe("list query fields", () => {
  it("reads flags from booleans and query strings, and defaults them", () => {
    const flag = queryFlag(true);
    expect([true, "true", "1"].map((v) => flag.parse(v))).toEqual([true, true, true]);
    expect([false, "false", "0"].map((v) => flag.parse(v))).toEqual([false, false, false]);
    expect(flag.parse(undefined)).toBe(true);
    expect(queryFlag(false).parse(undefined)).toBe(false);
    expect(flag.safeParse("yes").success).toBe(false);
  });

  it("coerces pages and page sizes within their bounds", () => {
    expect(pageNumber().parse("3")).toBe(3);
    expect(pageNumber().parse(undefined)).toBe(1);
    expect(pageNumber().safeParse("0").success).toBe(false);
    expect(pageNumber(100_000).safeParse("100001").success).toBe(false);
    expect(pageSize(25).parse(undefined)).toBe(25);
    expect(pageSize(25).safeParse("201").success).toBe(false);
  });

  it("gives the list inputs their defaults", () => {
    expect(ItemListInput.parse({ projectSlug: "p" })).toMatchObject({ desc: false, page: 1, pageSize: 50 });
    expect(ReviewQueueInput.parse({})).toMatchObject({ contestedOnly: true, page: 1, pageSize: 25 });
    expect(UserListInput.parse({})).toMatchObject({ page: 1, pageSize: 50 });
    expect(UserListInput.safeParse({ page: "1000000" }).success).toBe(false);
  });
});
