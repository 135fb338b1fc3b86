/**
 * The rating-dimension catalogue: optional 1–5 ratings per candidate, chosen per
 * project. The defaults follow CharacterEval's 12 per-response dimensions in three
 * groups (Tu et al., ACL 2024, arXiv:2401.01275; definitions from the authors'
 * annotation guide). Keys are stable: they are stored with judgments and appear in
 * exports, so never rename one; add new dimensions instead.
 */

/** Rating scale of every dimension (1 = worst, 5 = best). */
export const DIMENSION_SCALE = { min: 1, max: 5 } as const;

/** The dimension groups, in display order. */
export const DIMENSION_GROUPS = [
  {
    key: "conversational_ability",
    name: { en: "Conversational ability", zh: "对话能力" },
  },
  {
    key: "character_consistency",
    name: { en: "Character consistency", zh: "角色一致性" },
  },
  {
    key: "roleplay_attractiveness",
    name: { en: "Role-play attractiveness", zh: "角色扮演吸引力" },
  },
] as const;
/** Identifier of a dimension group. */
export type DimensionGroupKey = (typeof DIMENSION_GROUPS)[number]["key"];

/** Text in the two UI languages. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** One rating dimension. */
export interface RatingDimension {
  /** Stable identifier (snake_case ASCII). */
  key: string;
  group: DimensionGroupKey;
  /** CharacterEval's sub-group inside "character consistency" (knowledge or persona). */
  subgroup?: "knowledge_consistency" | "persona_consistency";
  name: Bilingual;
  /** One-line rubric shown to annotators: what a 5 means, and what pulls the score down. */
  rubric: Bilingual;
  /** The metric's exact names in CharacterEval's `id2metric.jsonl`. */
  charactereval: { en: string; zh: string };
}

/** The catalogue, in display order (grouped). */
export const DIMENSIONS = [
  {
    key: "fluency",
    group: "conversational_ability",
    name: { en: "Fluency", zh: "对话流利度" },
    rubric: {
      en: "Is the reply grammatical and smooth to read, free of obvious errors, broken sentences or garbled text?",
      zh: "回复是否语法正确、读起来通顺，没有明显的语病、断句错误或乱码？",
    },
    charactereval: { en: "Fluency", zh: "对话流利度" },
  },
  {
    key: "coherence",
    group: "conversational_ability",
    name: { en: "Coherence", zh: "对话连贯性" },
    rubric: {
      en: "Does the reply follow on from the last turn and stay on topic, in form and in meaning?",
      zh: "回复是否紧接上一轮发言、切题，在形式和语义上都与上下文衔接？",
    },
    charactereval: { en: "Coherence", zh: "对话连贯性" },
  },
  {
    key: "consistency",
    group: "conversational_ability",
    name: { en: "Consistency", zh: "对话一致性" },
    rubric: {
      en: "Is the reply free of contradictions with the dialogue so far, including what the character said earlier?",
      zh: "回复是否与前文没有矛盾，包括角色自己之前说过的话？",
    },
    charactereval: { en: "Consistency", zh: "对话一致性" },
  },
  {
    key: "knowledge_exposure",
    group: "character_consistency",
    subgroup: "knowledge_consistency",
    name: { en: "Knowledge exposure", zh: "知识曝光度" },
    rubric: {
      en: "How much knowledge about the character and their world (people, events, settings) does the reply bring in?",
      zh: "回复体现了多少与角色及其世界（人物、事件、背景设定）相关的知识？",
    },
    charactereval: { en: "Exposure", zh: "知识曝光度" },
  },
  {
    key: "knowledge_accuracy",
    group: "character_consistency",
    subgroup: "knowledge_consistency",
    name: { en: "Knowledge accuracy", zh: "知识准确率" },
    rubric: {
      en: "Is the character knowledge the reply uses correct according to the profile and the source work?",
      zh: "回复中用到的角色知识是否符合人物设定和原作，准确无误？",
    },
    charactereval: { en: "Accuracy", zh: "知识准确率" },
  },
  {
    key: "knowledge_hallucination",
    group: "character_consistency",
    subgroup: "knowledge_consistency",
    name: { en: "Knowledge hallucination", zh: "知识幻觉性" },
    rubric: {
      en: "Does the reply avoid things the character could not know or would not discuss (anachronisms, out-of-world facts)? 5 = no hallucination.",
      zh: "回复是否避免了角色不可能知道或不会谈论的内容（如穿越时代、超出作品世界的知识）？5 分 = 没有幻觉。",
    },
    charactereval: { en: "Hallucination", zh: "知识幻觉性" },
  },
  {
    key: "persona_behavior",
    group: "character_consistency",
    subgroup: "persona_consistency",
    name: { en: "Persona behaviour", zh: "行为一致性" },
    rubric: {
      en: "Do the actions, expressions and tone (e.g. the parts in parentheses) fit the character's personality?",
      zh: "回复中的动作、神态和语气（如括号里的描写）是否符合角色的性格？",
    },
    charactereval: { en: "Behavior", zh: "行为一致性" },
  },
  {
    key: "persona_utterance",
    group: "character_consistency",
    subgroup: "persona_consistency",
    name: { en: "Persona utterance", zh: "言语一致性" },
    rubric: {
      en: "Do the spoken words fit the character's personality and speech habits (wording, catchphrases, manner)?",
      zh: "说出的话是否符合角色的性格和说话习惯（用词、口头禅、语气）？",
    },
    charactereval: { en: "Utterance", zh: "言语一致性" },
  },
  {
    key: "human_likeness",
    group: "roleplay_attractiveness",
    name: { en: "Human-likeness", zh: "类人程度" },
    rubric: {
      en: "Does the reply sound like a real person in the scene rather than a formulaic, assistant-like answer?",
      zh: "回复像是场景中的真人在说话，而不是刻板、套路化的 AI 助手式回答吗？",
    },
    charactereval: { en: "Humanlikeness", zh: "类人程度" },
  },
  {
    key: "communication_skills",
    group: "roleplay_attractiveness",
    name: { en: "Communication skills", zh: "交流技巧" },
    rubric: {
      en: "Does the reply use effective, emotionally intelligent conversational strategies that keep the exchange going?",
      zh: "回复是否运用了有效、有情商的交流策略，能让对话顺畅地进行下去？",
    },
    charactereval: { en: "Communication_skills", zh: "交流技巧" },
  },
  {
    key: "expression_diversity",
    group: "roleplay_attractiveness",
    name: { en: "Expression diversity", zh: "表现多样性" },
    rubric: {
      en: "Is the reply varied and vivid in its actions and wording, rather than repetitive or bland?",
      zh: "回复的动作和语言是否丰富生动，而不是单调重复、平淡无奇？",
    },
    charactereval: { en: "Diversity", zh: "表现多样性" },
  },
  {
    key: "empathy",
    group: "roleplay_attractiveness",
    name: { en: "Empathy", zh: "共情度" },
    rubric: {
      en: "Does the reply perceive and understand the other speaker's emotions and respond to them appropriately?",
      zh: "回复是否察觉并理解对方的情绪，并作出恰当的回应？",
    },
    charactereval: { en: "Empathy", zh: "共情度" },
  },
] as const satisfies readonly RatingDimension[];

/** Stable key of a catalogue dimension. */
export type DimensionKey = (typeof DIMENSIONS)[number]["key"];

/** All dimension keys, in display order (usable as `z.enum(DIMENSION_KEYS)`). */
export const DIMENSION_KEYS = DIMENSIONS.map((d) => d.key) as unknown as readonly [DimensionKey, ...DimensionKey[]];

const BY_KEY: ReadonlyMap<string, RatingDimension> = new Map(DIMENSIONS.map((d) => [d.key, d]));
const BY_METRIC: ReadonlyMap<string, DimensionKey> = new Map(
  DIMENSIONS.flatMap((d) => [[d.charactereval.en.toLowerCase(), d.key] as const, [d.charactereval.zh, d.key] as const]),
);

/** Whether a string is a catalogue dimension key. */
export function isDimensionKey(key: string): key is DimensionKey {
  return BY_KEY.has(key);
}

/** The dimension with this key, or undefined. */
export function getDimension(key: string): RatingDimension | undefined {
  return BY_KEY.get(key);
}

/** The dimensions of one group, in display order. */
/** A bilingual text in a UI locale: Simplified Chinese for "zh-CN", English otherwise. */
export function inLocale(text: Bilingual, locale: string): string {
  return locale === "zh-CN" ? text.zh : text.en;
}

/** A dimension's name in a UI locale; the key itself when the catalogue has no such dimension. */
export function dimensionName(key: string, locale: string): string {
  const d = getDimension(key);
  return d ? inLocale(d.name, locale) : key;
}

/** A dimension's rubric in a UI locale; empty when the catalogue has no such dimension. */
export function dimensionRubric(key: string, locale: string): string {
  const d = getDimension(key);
  return d ? inLocale(d.rubric, locale) : "";
}

export function dimensionsInGroup(group: DimensionGroupKey): RatingDimension[] {
  return DIMENSIONS.filter((d) => d.group === group);
}

/**
 * The catalogue key for a CharacterEval metric name, English (`"Communication_skills"`,
 * case-insensitive) or Chinese (`"交流技巧"`), or undefined for anything else.
 */
export function dimensionForCharacterEvalMetric(metric: string): DimensionKey | undefined {
  return BY_METRIC.get(metric.trim().toLowerCase()) ?? BY_METRIC.get(metric.trim());
}
