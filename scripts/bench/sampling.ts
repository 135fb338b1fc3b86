/**
 * `npm run bench:sampling [-- --votes N] [--runs N] [--seed N]`
 *
 * Simulated annotators answer by a hidden Bradley–Terry truth over 8 models (two truths, see
 * TRUTHS); the same vote budget is spent once with uniform pair sampling and once with active
 * sampling (the optimal-design sampler of lib/domain/stats/active-sampling.ts, refitted every
 * 50 votes, floor 0.2). Every 100 votes the leaderboard is refitted and compared with the
 * truth. Prints, per 1,000 votes and averaged over the runs (consecutive seeds, every run
 * counted), the mean 95% interval width of the ratings (rating points), the rank errors
 * (model pairs in the wrong order) and the mean 95% width of the pairs' win rates (what
 * Chiang et al.'s Eq. 9 shrinks), then the votes active sampling needs to reach uniform's
 * final widths, beside the ceiling: the saving of the optimal design computed from the
 * hidden truth itself, which no sampler that has to estimate the truth can beat on average.
 *
 * Target: active reaches uniform's final mean width with at least 25 % fewer votes.
 * Exit status 1 when it does not. Pure computation: no database, no server.
 */
import { ACTIVE_SAMPLING_FLOOR, designMeanSd, optimalDesign, uniformDesign } from "@/lib/domain/stats/active-sampling";
import { simulateSampling, votesToReach, type SamplingCheckpoint } from "@/lib/domain/stats/sampling-simulation";
import { parseCli, positiveInt } from "../lib/cli";

const USAGE = `Usage: npm run bench:sampling [-- --votes N] [--runs N] [--seed N]

Uniform against active pair sampling over 8 models with a hidden Bradley–Terry truth, at
equal vote counts: mean 95% interval width and rank errors per 1,000 votes.

Options:
  --votes N   votes per run (default 10000)
  --runs N    independent runs averaged (default 10)
  --seed N    first seed (default 1)
  --help      this text`;

/**
 * Two hidden truths, 8 models each: a ladder of checkpoints and baselines spread over 1,000
 * rating points (what a team comparing its own training runs sees), and a close top spread
 * over 360 points (a public leaderboard's leaders). Uniform sampling wastes more votes on
 * clear pairs the wider the spread, so the saving of active sampling depends on it.
 */
const TRUTHS: { name: string; ratings: number[] }[] = [
  { name: "ladder", ratings: [600, 800, 950, 1050, 1150, 1300, 1450, 1600] },
  { name: "close top", ratings: [1000, 1020, 1060, 1130, 1210, 1290, 1330, 1360] },
];
const CHECKPOINT = 100;
const POINTS = 400 / Math.LN10;
const TARGET_SAVING = 0.25;

type Averaged = { votes: number; meanWidth: number; rankErrors: number; meanWinRateWidth: number };

function main(): void {
  const { values } = parseCli(USAGE, { votes: { type: "string" }, runs: { type: "string" }, seed: { type: "string" } });
  const votes = positiveInt(USAGE, values.votes, 10000, "votes");
  const runs = positiveInt(USAGE, values.runs, 10, "runs");
  const seed = positiveInt(USAGE, values.seed, 1, "seed");
  const started = performance.now();
  let met = true;
  for (const truth of TRUTHS) {
    const average = (policy: "uniform" | "active"): Averaged[] => {
      const all = Array.from({ length: runs }, (_, r) =>
        simulateSampling({ ratings: truth.ratings, votes, checkpoint: CHECKPOINT, policy, seed: seed + r }),
      );
      const mean = (k: number, f: (c: SamplingCheckpoint) => number) => all.reduce((s, run) => s + f(run[k]!), 0) / runs;
      return all[0]!.map((c, k) => ({
        votes: c.votes,
        meanWidth: mean(k, (x) => x.meanWidth),
        rankErrors: mean(k, (x) => x.rankErrors),
        meanWinRateWidth: mean(k, (x) => x.meanWinRateWidth),
      }));
    };
    const uniform = average("uniform");
    const active = average("active");
    console.log(
      `\n${truth.name}: 8 models (ratings ${truth.ratings.join(", ")}), ${votes} votes, mean of ${runs} runs (seeds ${seed}..${seed + runs - 1}, none left out)`,
    );
    console.log("   votes | rating width: uniform  active | rank errors: uniform  active | win-rate width: uniform  active");
    for (let k = 0; k < uniform.length; k++) {
      const u = uniform[k]!;
      if (u.votes % 1000 !== 0) continue;
      const a = active[k]!;
      console.log(
        `${String(u.votes).padStart(8)} | ${u.meanWidth.toFixed(1).padStart(22)} ${a.meanWidth.toFixed(1).padStart(7)} | ${u.rankErrors.toFixed(2).padStart(20)} ${a.rankErrors.toFixed(2).padStart(7)} | ${u.meanWinRateWidth.toFixed(4).padStart(23)} ${a.meanWinRateWidth.toFixed(4).padStart(7)}`,
      );
    }
    for (const figure of ["meanWidth", "meanWinRateWidth"] as const) {
      const target = uniform[uniform.length - 1]![figure];
      const needed = votesToReach(active, target, figure);
      const saving = needed === null ? null : 1 - needed / votes;
      const label = figure === "meanWidth" ? "mean rating width" : "mean win-rate width";
      console.log(
        needed === null
          ? `${label}: active sampling did not reach uniform's final ${target.toFixed(4)} within the budget`
          : `${label}: uniform's final ${target.toFixed(figure === "meanWidth" ? 1 : 4)} reached by active after ${Math.round(needed)} votes, ${(saving! * 100).toFixed(1)} % fewer`,
      );
      if (figure === "meanWidth" && (saving === null || saving < TARGET_SAVING)) met = false;
    }
    // Widths scale as 1/√N, so a design whose mean sd is r times uniform's needs r² of the votes.
    const scores = truth.ratings.map((r) => r / POINTS);
    const base = designMeanSd(scores, uniformDesign(scores.length))!;
    const ceiling = (lower: number) => 1 - (designMeanSd(scores, optimalDesign(scores, lower))! / base) ** 2;
    const pairs = (scores.length * (scores.length - 1)) / 2;
    console.log(
      `ceiling (optimal design on the hidden truth): ${(ceiling(ACTIVE_SAMPLING_FLOOR / pairs) * 100).toFixed(1)} % fewer votes with the floor of ${ACTIVE_SAMPLING_FLOOR}, ${(ceiling(0) * 100).toFixed(1)} % without`,
    );
  }
  console.log(
    `\ntarget: active reaches uniform's final mean rating width with ≥ ${TARGET_SAVING * 100} % fewer votes: ${met ? "met" : "NOT met"}`,
  );
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (!met) process.exitCode = 1;
}

main();
