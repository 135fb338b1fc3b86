import { fill, num, pct, type Messages } from "@/components/dashboard/format";
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
      <p className="muted" style={{ margin: 0 }}>
        {fill(m["models.fitInfo"], {
          dsIterations: models.dawidSkene.iterations,
          dsConverged: models.dawidSkene.converged ? "" : m["models.notConverged"],
          maceConverged: models.mace.converged ? "" : m["models.notConverged"],
          uncertain: models.dawidSkene.uncertainTasks,
          tasks: models.dawidSkene.tasks,
        })}
      </p>
      {models.rows.length === 0 ? (
        <p className="muted">{m["models.none"]}</p>
      ) : (
        <table className="data">
          <caption className="skip-link">{m["models.title"]}</caption>
          <thead>
            <tr>
              <th scope="col">{m["models.col.annotator"]}</th>
              <th scope="col">{m["models.col.judgments"]}</th>
              <th scope="col">{m["models.col.accuracy"]}</th>
              <th scope="col">{m["models.col.competence"]}</th>
              <th scope="col">{m["models.col.position"]}</th>
              <th scope="col">{m["models.col.reliability"]}</th>
              <th scope="col">{m["models.col.flags"]}</th>
            </tr>
          </thead>
          <tbody>
            {models.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" title={r.name}>
                  {r.email}
                </th>
                <td>{r.judgments}</td>
                <td>
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
                </td>
                <td>{num(r.competence, 3)}</td>
                <td>{withInterval(r.positionBias, pct)}</td>
                <td>{withInterval(r.reliability, (x) => num(x, 2))}</td>
                <td>
                  {r.flags.map((flag) => (
                    <span key={flag} className="badge badge-inactive" style={{ marginRight: 4 }}>
                      {m[`models.flag.${flag}` as keyof Messages] ?? flag}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
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
