import { describe, expect, it } from "vitest";
import { directionOf, isValidStrength, scaleValues, strengthToCanonical, strengthToDisplay } from "@/lib/domain/preference";

describe("preference scale", () => {
  it("lists each scale's values, with no tie on the 2-point scale", () => {
    expect(scaleValues(7)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(scaleValues(5)).toEqual([-2, -1, 0, 1, 2]);
    expect(scaleValues(3)).toEqual([-1, 0, 1]);
    expect(scaleValues(2)).toEqual([-1, 1]);
  });

  it("rejects out-of-range, fractional and forbidden tie strengths", () => {
    expect(isValidStrength(3, 7)).toBe(true);
    expect(isValidStrength(4, 7)).toBe(false);
    expect(isValidStrength(-3, 5)).toBe(false);
    expect(isValidStrength(0.5, 7)).toBe(false);
    expect(isValidStrength(0, 2)).toBe(false);
    expect(isValidStrength(0, 3)).toBe(true);
  });

  it("maps display strength to canonical and back", () => {
    expect(strengthToCanonical(-2, [0, 1])).toBe(-2);
    expect(strengthToCanonical(-2, [1, 0])).toBe(2);
    expect(strengthToDisplay(strengthToCanonical(1, [1, 0]), [1, 0])).toBe(1);
    expect(directionOf(-1)).toBe("A");
    expect(directionOf(0)).toBe("tie");
    expect(directionOf(2)).toBe("B");
  });
});
