import { fill, num, pct, type Messages } from "@/components/dashboard/format";
import { Note } from "@/components/ui/page";
import { Table } from "@/components/ui/table";
import type { AnnotatorModels } from "@/lib/services/consensus";

const LABELS = ["A", "tie", "B"] as const;

const withInterval = (e: { value: number; low: number; high: number } | null, f: (x: number) => string) =>
  e ? `${f(e.value)} [${f(e.low)}, ${f(e.high)}]` : "—";

/**
 * The annotator-model table: Dawid–Skene accuracy (its confusion matrix opens on a click),
 * MACE competence, noisy Bradley–Terry position bias and reliability with 95% intervals, and
 * the flags they raise. A server component: the confusion
 * opens with a native <details>, no script needed.
 */
export function AnnotatorModelsPanel({ models, messages: m }: { models: AnnotatorModels; messages: Messages }) {
  return (
    <>
      <Note>
        {fill(m["models.fitInfo"], {
          dsIterations: models.dawidSkene.iterations,
          dsConverged: models.dawidSkene.converged ? "" : m["models.notConverged"],
          maceConverged: models.mace.converged ? "" : m["models.notConverged"],
          uncertain: models.dawidSkene.uncertainTasks,
          tasks: models.dawidSkene.tasks,
        })}
      </Note>
      <Table
        caption={m["models.title"]}
        captionHidden
        rows={models.rows}
        rowKey={(r) => r.id}
        empty={m["models.none"]}
        columns={[
          { header: m["models.col.annotator"], rowHeader: true, cell: (r) => <span title={r.name}>{r.email}</span> },
          { header: m["models.col.judgments"], cell: (r) => r.judgments },
          { header: m["models.col.accuracy"], cell: (r) => <Confusion row={r} messages={m} /> },
          { header: m["models.col.competence"], cell: (r) => num(r.competence, 3) },
          { header: m["models.col.position"], cell: (r) => withInterval(r.positionBias, pct) },
          { header: m["models.col.reliability"], cell: (r) => withInterval(r.reliability, (x) => num(x, 2)) },
          {
            header: m["models.col.flags"],
            cell: (r) =>
              r.flags.map((flag) => (
                <span key={flag} className="badge badge-inactive" style={{ marginRight: 4 }}>
                  {m[`models.flag.${flag}` as keyof Messages] ?? flag}
                </span>
              )),
          },
        ]}
      />
    </>
  );
}

/** An annotator's accuracy, opening on its Dawid–Skene confusion matrix (truth by row, answer by column). */
function Confusion({ row: r, messages: m }: { row: AnnotatorModels["rows"][number]; messages: Messages }) {
  return (
    <details>
      <summary>{pct(r.accuracy)}</summary>
      <table className="data" aria-label={`${m["models.confusion"]}: ${r.email}`}>
        <caption className="muted">{m["models.confusion.caption"]}</caption>
        <thead>
          <tr>
            <th scope="col">{m["models.confusion"]}</th>
            {LABELS.map((l) => (
              <th scope="col" key={l}>
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {LABELS.map((t) => (
            <tr key={t}>
              <th scope="row">{fill(m["models.truth"], { label: t })}</th>
              {LABELS.map((o) => (
                <td key={o}>{r.confusion[t] ? pct(r.confusion[t]![o]) : "—"}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The leaderboard's fragility line: how many votes decide who is first. */
export function LeaderFragilityLine({ fragility: f, messages: m }: { fragility: AnnotatorModels["fragility"]; messages: Messages }) {
  if (!f) return null;
  return (
    <p style={{ margin: 0 }}>
      {f.votes !== null && f.challenger !== null
        ? fill(m["models.fragility"], {
            votes: f.votes,
            total: f.total_votes,
            challenger: f.challenger,
            leader: f.leader,
            approximate: f.approximate ?? "—",
          })
        : fill(m["models.fragilityNone"], { leader: f.leader })}
    </p>
  );
}
