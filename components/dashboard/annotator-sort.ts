/**
 * The annotator table's sort columns and keys. Kept out of annotator-table.tsx ("use
 * client") because the dashboard page sorts on the server: a server component importing
 * a value from a client module gets a client reference, not the array or function.
 */
import type { AnnotatorStats } from "@/lib/services/stats";

/** Columns the annotator table sorts by (the page sorts; the table keeps ?sort / ?desc in the URL). */
export const ANNOTATOR_SORTS = [
  "annotator",
  "judgments",
  "today",
  "majority",
  "gold",
  "ties",
  "left",
  "longer",
  "seconds",
  "flags",
] as const;
export type AnnotatorSort = (typeof ANNOTATOR_SORTS)[number];

/** Sort key of a row for a column (nulls last either way is handled by the caller). */
export function annotatorSortValue(r: AnnotatorStats, sort: AnnotatorSort): string | number | null {
  switch (sort) {
    case "annotator":
      return r.name || r.email;
    case "judgments":
      return r.judgments;
    case "today":
      return r.today;
    case "majority":
      return r.majorityAgreement;
    case "gold":
      return r.goldAccuracy?.value ?? null;
    case "ties":
      return r.tieRate;
    case "left":
      return r.leftShare?.value ?? null;
    case "longer":
      return r.longerShare?.value ?? null;
    case "seconds":
      return r.medianSeconds;
    case "flags":
      return r.flags.length;
  }
}
