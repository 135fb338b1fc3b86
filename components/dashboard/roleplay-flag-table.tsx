import type { MessageKey } from "@/lib/i18n";
import { ROLEPLAY_FLAGS } from "@/lib/domain/preference";
import type { RoleplayFlagLine } from "@/lib/services/roleplay-flags";

/** Counts of role-play flags per model or per annotator (one row each, one column per flag). */
export function RoleplayFlagTable({
  lines,
  first,
  caption,
  messages: m,
}: {
  lines: RoleplayFlagLine[];
  first: string;
  caption: string;
  messages: Record<MessageKey, string>;
}) {
  return (
    <table className="data">
      <caption style={{ textAlign: "left", fontWeight: 600, padding: "0.3rem 0" }}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          {ROLEPLAY_FLAGS.map((f) => (
            <th key={f} scope="col">
              {m[`flags.${f}`]}
            </th>
          ))}
          <th scope="col">{m["flags.col.total"]}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <th scope="row" style={{ fontWeight: 400 }}>
              {l.label}
            </th>
            {ROLEPLAY_FLAGS.map((f) => (
              <td key={f}>{l.counts[f]}</td>
            ))}
            <td>{l.total}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
