import { describe, expect, it } from "vitest";
import { EndpointInput } from "@/lib/validation/endpoints";

const base = { name: "ep", baseUrl: "https://api.example.test/v1", model: "m" };
const messageOf = (input: Record<string, unknown>, field: string) => {
  const r = EndpointInput.safeParse({ ...base, ...input });
  return r.success ? null : (r.error.issues.find((i) => i.path[0] === field)?.message ?? null);
};

describe("EndpointInput limits", () => {
  it("defaults the timeout and concurrency and leaves the rate limit out when a form sends them empty", () => {
    expect(EndpointInput.parse({ ...base, timeoutS: "", concurrency: null, rpm: "" })).toMatchObject({ timeoutS: 120, concurrency: 4 });
    expect(EndpointInput.parse({ ...base, rpm: "" }).rpm).toBeUndefined();
    expect(EndpointInput.parse({ ...base, timeoutS: "30", concurrency: "8", rpm: "600" })).toMatchObject({
      timeoutS: 30,
      concurrency: 8,
      rpm: 600,
    });
  });

  it("names what is wrong with each", () => {
    expect(messageOf({ timeoutS: "abc" }, "timeoutS")).toBe("must be a number");
    expect(messageOf({ timeoutS: "1.5" }, "timeoutS")).toBe("must be a whole number of seconds");
    expect(messageOf({ timeoutS: "0" }, "timeoutS")).toBe("at least 1 second");
    expect(messageOf({ timeoutS: "3601" }, "timeoutS")).toBe("at most 3600 seconds");
    expect(messageOf({ concurrency: "2.5" }, "concurrency")).toBe("must be a whole number");
    expect(messageOf({ concurrency: "1025" }, "concurrency")).toBe("at most 1024");
    expect(messageOf({ rpm: "0" }, "rpm")).toBe("at least 1 (leave empty for no limit)");
    expect(messageOf({ rpm: "1000001" }, "rpm")).not.toBeNull();
  });
});
