/** Shared formatting of the dashboard's figures: the service carries full values, these round them for display. */
export type { Messages } from "@/lib/i18n";

/** Fills `{name}` placeholders of a catalogue string. */
export { fill } from "@/lib/i18n/fill";

/** A share as a percentage with one decimal, or "—". */
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);

/** A coefficient with four decimals (as computed), or "—". */
export const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? "—" : x.toFixed(digits));

/** An interval "[low, high]", or "—". */
export const interval = (ci: readonly [number, number] | null | undefined, f: (x: number) => string = (x) => num(x)) =>
  ci ? `[${f(ci[0])}, ${f(ci[1])}]` : "—";
