import { scaleMax, type ScalePoints } from "@/lib/domain/preference";
import type { MessageKey } from "@/lib/i18n";
import { fill } from "@/lib/i18n/fill";
import type { HistoryEntry } from "@/lib/services/annotation-views";

/** The label of a display-terms strength on its scale ("A much better" … "B much better"). */
export function strengthLabel(strength: number, points: ScalePoints, m: Record<MessageKey, string>): string {
  if (strength === 0) return m["annotate.scale.same"];
  const side = strength < 0 ? "A" : "B";
  const max = scaleMax(points);
  const step = Math.abs(strength);
  const key: MessageKey =
    max === 3
      ? step === 3
        ? "annotate.scale.muchBetter"
        : step === 2
          ? "annotate.scale.better"
          : "annotate.scale.slightlyBetter"
      : max === 2
        ? step === 2
          ? "annotate.scale.better"
          : "annotate.scale.slightlyBetter"
        : "annotate.scale.better";
  return fill(m[key], { side });
}

/** A stored answer in words, as its annotator gave it ("A better", "B > A > C", "Both unacceptable"). */
export function answerLabel(e: Pick<HistoryEntry, "answer" | "scalePoints">, m: Record<MessageKey, string>): string {
  if (e.answer.both_unacceptable) return m["annotate.bothUnacceptable"];
  if (e.answer.ranking) {
    const slots = e.answer.ranking.map((rank, slot) => ({ rank, slot })).sort((a, b) => a.rank - b.rank || a.slot - b.slot);
    return slots
      .map((s, i) => (i > 0 && s.rank === slots[i - 1]!.rank ? "= " : i > 0 ? "> " : "") + String.fromCharCode(65 + s.slot))
      .join(" ");
  }
  if (e.answer.strength !== undefined) return strengthLabel(e.answer.strength, e.scalePoints as ScalePoints, m);
  return "—";
}
