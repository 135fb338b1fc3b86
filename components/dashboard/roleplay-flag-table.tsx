import { Table } from "@/components/ui/table";
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
    <Table
      caption={caption}
      captionStyle={{ textAlign: "left", fontWeight: 600, padding: "0.3rem 0" }}
      rows={lines}
      rowKey={(l) => l.key}
      columns={[
        { header: first, rowHeader: true, style: { fontWeight: 400 }, cell: (l) => l.label },
        ...ROLEPLAY_FLAGS.map((f) => ({ header: m[`flags.${f}`], cell: (l: RoleplayFlagLine) => l.counts[f] })),
        { header: m["flags.col.total"], cell: (l) => l.total },
      ]}
    />
  );
}
