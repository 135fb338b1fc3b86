import { describe, expect, it } from "vitest";
import { defaultProjectSettings, ProjectSettings } from "@/lib/validation/project-settings";

describe("ProjectSettings", () => {
  it("fills every default: pairwise, 7-point, overlap 3", () => {
    expect(defaultProjectSettings()).toMatchObject({ mode: "pairwise", scalePoints: 7, overlap: 3, dimensions: [], leaseMinutes: 20 });
  });

  it("accepts catalogue dimensions and refuses unknown or repeated ones, naming the field", () => {
    expect(ProjectSettings.safeParse({ dimensions: ["fluency", "empathy"] }).success).toBe(true);
    const unknown = ProjectSettings.safeParse({ dimensions: ["charisma"] });
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.path).toEqual(["dimensions", 0]);
    expect(ProjectSettings.safeParse({ dimensions: ["fluency", "fluency"] }).success).toBe(false);
  });

  it("refuses scales other than 2, 3, 5, 7 and out-of-range numbers", () => {
    expect(ProjectSettings.safeParse({ scalePoints: 4 }).success).toBe(false);
    expect(ProjectSettings.safeParse({ overlap: 0 }).success).toBe(false);
    expect(ProjectSettings.safeParse({ goldRatio: 0.9 }).success).toBe(false);
  });

  it("needs a baseline model for baseline pairing, and refuses unknown keys", () => {
    const r = ProjectSettings.safeParse({ pairing: "baseline" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["baselineModel"]);
    expect(ProjectSettings.safeParse({ colour: "blue" }).success).toBe(false);
  });
});
