/**
 * Simulated annotators for the demo: a hidden truth per pairwise task, drawn from the
 * compared models' qualities, and the answers that annotators of known reliability give to
 * it — as a person would, in display terms (left / right as shown), on the project's scale,
 * with ratings, role-play flags, a rationale where the project asks for one, and the seconds
 * spent. Pure and seeded: the same seed, profile and task give the same answer whatever the
 * order they are asked in, on every platform.
 *
 * The profiles differ the way real annotators do, so that the dashboard's quality figures
 * have something to find: a careful one (accurate, slow), a position-biased one (often takes
 * the reply shown first), a fast and careless one (near-random, a few seconds per task) and
 * two ordinary ones.
 */
import { hash32 } from "@/lib/domain/seeded-random";
import { rationaleRequired, type AnswerRules, type DisplayAnswer } from "../answer";
import { DIMENSION_SCALE } from "../dimensions";
import {
  directionOf,
  scaleHasTie,
  scaleMax,
  scaleValues,
  strengthToDisplay,
  ROLEPLAY_FLAGS,
  type DisplayOrder,
  type RoleplayFlag,
  type ScalePoints,
} from "../preference";
import { createRng, normal, type Rng } from "../stats/rng";

/** A candidate model as the simulation sees it: a latent quality and how often its replies have each role-play fault. */
export type SimulatedModel = {
  readonly name: string;
  /** Bradley–Terry-like strength: a difference of 1 makes the better reply win about 73% of the time. */
  readonly quality: number;
  readonly faults?: Partial<Record<RoleplayFlag, number>>;
};

/** How one simulated annotator works. */
export type AnnotatorProfile = {
  readonly key: string;
  /** Shown as the user's name; says that the annotator is simulated. */
  readonly name: string;
  /** Share of answers drawn uniformly from the scale, without reading the replies. */
  readonly randomRate: number;
  /** Share of the remaining answers that prefer the reply shown first, whatever it says. */
  readonly leftRate: number;
  /** When the annotator reads and judges: the chance of getting the direction right. */
  readonly accuracy: number;
  /** Median seconds per task; the spread is the log-normal sigma. */
  readonly medianSeconds: number;
  readonly secondsSpread: number;
  /** Chance of flagging a role-play fault a reply really has. */
  readonly diligence: number;
  /** Judgments the annotator gives in the demo. */
  readonly quota: number;
};

/** The five demo annotators. */
export const SIMULATED_ANNOTATORS: readonly AnnotatorProfile[] = [
  {
    key: "careful",
    name: "Simulated · careful",
    randomRate: 0,
    leftRate: 0,
    accuracy: 0.96,
    medianSeconds: 48,
    secondsSpread: 0.3,
    diligence: 0.9,
    quota: 90,
  },
  {
    key: "position-biased",
    name: "Simulated · position-biased",
    randomRate: 0,
    leftRate: 0.55,
    accuracy: 0.82,
    medianSeconds: 21,
    secondsSpread: 0.35,
    diligence: 0.5,
    quota: 70,
  },
  {
    key: "careless",
    name: "Simulated · fast & careless",
    randomRate: 0.9,
    leftRate: 0,
    accuracy: 0.7,
    medianSeconds: 5,
    secondsSpread: 0.35,
    diligence: 0.05,
    quota: 60,
  },
  {
    key: "ordinary-a",
    name: "Simulated · ordinary A",
    randomRate: 0,
    leftRate: 0,
    accuracy: 0.82,
    medianSeconds: 26,
    secondsSpread: 0.4,
    diligence: 0.6,
    quota: 85,
  },
  {
    key: "ordinary-b",
    name: "Simulated · ordinary B",
    randomRate: 0,
    leftRate: 0,
    accuracy: 0.8,
    medianSeconds: 23,
    secondsSpread: 0.4,
    diligence: 0.6,
    quota: 85,
  },
];

/** What the replies of a pairwise task really are worth (canonical order: A = candidate 0). */
export type HiddenTruth = {
  /** Canonical strength on the task's scale (negative = A better). */
  readonly strength: number;
  /** Neither reply is acceptable (drawn rarely, only between two weak models). */
  readonly bothUnacceptable: boolean;
  /** The role-play faults each reply really has (canonical order). */
  readonly faults: readonly [readonly RoleplayFlag[], readonly RoleplayFlag[]];
  /** Quality of A and B, which the ratings follow. */
  readonly qualities: readonly [number, number];
};

/** Band of |margin| that counts as "about the same" on scales with a tie. */
const TIE_BAND = 0.2;
/** |margin| that reaches the strongest point of the scale. */
const FULL_MARGIN = 2.4;
/** Spread of the task's own content around the models' difference. */
const TASK_NOISE = 0.5;
/** Chance that a task between two below-par models is "both unacceptable". */
const BOTH_POOR_RATE = 0.2;

/** A generator for one named draw: the same seed and names give the same stream. */
export function rngFor(seed: number, ...names: string[]): Rng {
  return createRng(hash32(`${seed}\u0000${names.join("\u0000")}`));
}

/**
 * The hidden truth of one task: the models' quality difference plus the task's own noise,
 * cut into the scale's points; `gold`, when given, is the truth as it stands.
 */
export function hiddenTruth(
  task: { key: string; models: readonly [SimulatedModel, SimulatedModel]; scalePoints: ScalePoints; gold?: { strength: number } | null },
  seed: number,
): HiddenTruth {
  const rng = rngFor(seed, "truth", task.key);
  const [a, b] = task.models;
  const margin = a.quality - b.quality + TASK_NOISE * normal(rng);
  const bothPoor = a.quality < 0 && b.quality < 0 && rng.next() < BOTH_POOR_RATE;
  const faults = [a, b].map((m) => ROLEPLAY_FLAGS.filter((flag) => rng.next() < (m.faults?.[flag] ?? 0))) as [
    RoleplayFlag[],
    RoleplayFlag[],
  ];
  const strength = task.gold ? task.gold.strength : strengthOfMargin(margin, task.scalePoints);
  return { strength, bothUnacceptable: !task.gold && bothPoor, faults, qualities: [a.quality, b.quality] };
}

/** A margin (positive = A better) as a canonical strength on the scale. */
export function strengthOfMargin(margin: number, points: ScalePoints): number {
  const max = scaleMax(points);
  if (scaleHasTie(points) && Math.abs(margin) < TIE_BAND) return 0;
  const magnitude = Math.min(max, Math.max(1, Math.ceil((Math.abs(margin) * max) / FULL_MARGIN)));
  return margin > 0 ? -magnitude : magnitude;
}

/** A task as a simulated annotator meets it: the truth, what is shown where, and the project's rules. */
export type SimulatedTask = {
  readonly key: string;
  readonly truth: HiddenTruth;
  /** `[1, 0]`: B is shown first (left). */
  readonly displayOrder: DisplayOrder;
  readonly scalePoints: ScalePoints;
  readonly dimensions: readonly string[];
  readonly rules: Pick<AnswerRules, "rationale" | "allowBothUnacceptable" | "roleplayFlags">;
  readonly language: "zh" | "en";
};

/** How the annotator arrived at an answer (for tests and the seed's summary; never stored). */
export type AnswerMode = "random" | "left" | "judged";

/**
 * One annotator's answer to one task, in display terms, ready for submitJudgment.
 * Deterministic in (seed, profile, task key).
 */
export function simulateAnswer(profile: AnnotatorProfile, task: SimulatedTask, seed: number): { answer: DisplayAnswer; mode: AnswerMode } {
  const rng = rngFor(seed, "answer", profile.key, task.key);
  const points = task.scalePoints;
  const max = scaleMax(points);
  const u = rng.next();
  const mode: AnswerMode = u < profile.randomRate ? "random" : u < profile.randomRate + profile.leftRate ? "left" : "judged";
  const attentive = mode === "judged";
  const answer: DisplayAnswer = {};

  if (attentive && task.truth.bothUnacceptable && task.rules.allowBothUnacceptable && rng.next() < profile.accuracy * 0.8) {
    answer.bothUnacceptable = true;
  } else if (mode === "random") {
    const values = scaleValues(points);
    answer.strength = values[rng.int(values.length)]!;
  } else if (mode === "left") {
    answer.strength = -(1 + rng.int(max));
  } else {
    answer.strength = strengthToDisplay(judgedStrength(task.truth.strength, points, profile.accuracy, rng), task.displayOrder);
  }

  const ratings: Record<string, Record<string, number>> = {};
  const flags: Record<string, string[]> = {};
  task.displayOrder.forEach((canonical, slot) => {
    if (task.dimensions.length) {
      ratings[String(slot)] = Object.fromEntries(
        task.dimensions.map((d) => [d, ratingOf(task.truth.qualities[canonical]!, attentive, rng)]),
      );
    }
    const seen = (task.truth.faults[canonical] ?? []).filter(() => rng.next() < (attentive ? profile.diligence : profile.diligence / 4));
    if (seen.length && task.rules.roleplayFlags !== false) flags[String(slot)] = seen;
  });
  if (Object.keys(ratings).length) answer.ratings = ratings;
  if (Object.keys(flags).length) answer.roleplayFlags = flags;

  const shape = { kind: "pairwise" as const, scalePoints: points, candidateCount: 2 };
  if (task.rules.rationale !== "off" && rationaleRequired(answer, shape, task.rules))
    answer.rationale = rationaleFor(answer, task.language, rng);
  answer.seconds = secondsOf(profile, rng);
  return { answer, mode };
}

/** An attentive answer: the truth's direction with probability `accuracy`, its strength give or take a point. */
function judgedStrength(truth: number, points: ScalePoints, accuracy: number, rng: Rng): number {
  const max = scaleMax(points);
  const tie = scaleHasTie(points);
  if (rng.next() < accuracy) {
    if (truth === 0) return 0;
    const shift = rng.next() < 0.3 ? (rng.next() < 0.5 ? -1 : 1) : 0;
    return Math.sign(truth) * Math.min(max, Math.max(1, Math.abs(truth) + shift));
  }
  // A mistake: the other side (or, on a scale with a tie, "about the same" now and then).
  if (truth === 0) return rng.next() < 0.5 ? -1 : 1;
  if (tie && rng.next() < 0.35) return 0;
  return -Math.sign(truth);
}

/** A 1–5 rating that follows the reply's quality when the annotator reads it. */
function ratingOf(quality: number, attentive: boolean, rng: Rng): number {
  const { min, max } = DIMENSION_SCALE;
  if (!attentive) return min + rng.int(max - min + 1);
  return Math.min(max, Math.max(min, Math.round(3 + quality + 0.6 * normal(rng))));
}

function secondsOf(profile: AnnotatorProfile, rng: Rng): number {
  const s = profile.medianSeconds * Math.exp(profile.secondsSpread * normal(rng));
  return Math.max(1, Math.round(s * 10) / 10);
}

const RATIONALES = {
  en: {
    left: ["The first reply stays in character and answers what was asked.", "The left reply keeps the persona's voice; the other drifts."],
    right: [
      "The second reply stays in character and answers what was asked.",
      "The right reply keeps the persona's voice; the other drifts.",
    ],
    tie: ["Both replies are about as good; neither breaks character."],
    both: ["Neither reply stays in character or answers the user."],
  },
  zh: {
    left: ["左边的回复更贴合人设，也回应了用户的话。", "左边保持了角色的语气，右边跑偏了。"],
    right: ["右边的回复更贴合人设，也回应了用户的话。", "右边保持了角色的语气，左边跑偏了。"],
    tie: ["两个回复差不多，都没有出戏。"],
    both: ["两个回复都不符合人设，也没有回应用户。"],
  },
} as const;

function rationaleFor(answer: DisplayAnswer, language: "zh" | "en", rng: Rng): string {
  const texts = RATIONALES[language];
  const direction = answer.strength === undefined ? null : directionOf(answer.strength);
  const list = answer.bothUnacceptable ? texts.both : direction === "A" ? texts.left : direction === "B" ? texts.right : texts.tie;
  return list[rng.int(list.length)]!;
}

// ---------------------------------------------------------------------------------------
// When the work happens

/** A stretch of work: `tasks` judgments one after another from `start` (epoch ms). */
export type WorkSession = { readonly start: number; readonly tasks: number };

/**
 * Spreads each annotator's quota over the `days` days before `end` (epoch ms): a session on
 * most days, at a time of day of its own, sizes varying, every session over before `end`.
 * Returns one list per profile, sessions in time order.
 */
export function planSessions(profiles: readonly AnnotatorProfile[], options: { seed: number; end: number; days: number }): WorkSession[][] {
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  return profiles.map((profile) => {
    const rng = rngFor(options.seed, "sessions", profile.key);
    const days = Array.from({ length: options.days }, (_, i) => i).filter(() => rng.next() < 0.8);
    if (days.length === 0) days.push(0);
    const weights = days.map(() => 0.5 + rng.next());
    const total = weights.reduce((s, w) => s + w, 0);
    let left = profile.quota;
    const sessions = days.map((daysBack, i) => {
      const tasks = i === days.length - 1 ? left : Math.min(left, Math.round((profile.quota * weights[i]!) / total));
      left -= tasks;
      // Starts between 1 and 19 hours into the day counted back from `end`, so that even the
      // longest session ends before `end`.
      const start = options.end - (daysBack + 1) * DAY + HOUR + Math.floor(rng.next() * 18 * HOUR);
      return { start, tasks };
    });
    return sessions.filter((s) => s.tasks > 0).sort((x, y) => x.start - y.start);
  });
}
