/**
 * Strength buckets and reward-model margins.
 */
import type { MarginScale } from "@/lib/domain/export/types";

/** Rounds to `digits` decimals (half away from zero), giving -0 → 0. */
export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  const r = (Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f)) / f;
  return r === 0 ? 0 : r;
}

/**
 * The level of a consensus strength magnitude on a scale whose largest |strength| is `max`:
 * 0 → `tie`; on scales with max 1 (3- and 2-point) any preference is `better`;
 * otherwise the magnitude is placed on the 7-point grid, `round(3·|s|/max)` →
 * 1 `slightly_better`, 2 `better`, 3 `much_better`. So 7-point: 1/2/3 →
 * slightly/better/much; 5-point: 1 → better, 2 → much_better; a mean of 2.5 on the
 * 7-point scale is `much_better`.
 */
export function strengthLevel(absStrength: number, max: number): "much_better" | "better" | "slightly_better" | "tie" {
  const s = Math.abs(absStrength);
  if (s === 0) return "tie";
  if (max <= 1) return "better";
  const step = Math.min(3, Math.max(1, Math.round((3 * s) / max)));
  return step === 3 ? "much_better" : step === 2 ? "better" : "slightly_better";
}

/**
 * Reward-model margin of a consensus strength magnitude, proportional to the scale:
 * `small` = |s| / max (Llama 2's margins: 7-point 3 → 1, 2 → 0.667, 1 → 0.333;
 * 5-point 2 → 1, 1 → 0.5; 3- and 2-point 1 → 1), `large` = 3·|s| / max
 * (7-point 3 / 2 / 1). Rounded to 3 decimals. For K-wise pairs `absStrength` is the
 * mean-rank gap and `max` is K − 1.
 */
export function marginFor(absStrength: number, max: number, scale: MarginScale): number {
  if (max <= 0) return 0;
  const fraction = Math.min(1, Math.abs(absStrength) / max);
  return roundTo(scale === "large" ? 3 * fraction : fraction, 3);
}
