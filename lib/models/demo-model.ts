/**
 * The demo "models": template writers, not language models. They read the persona card
 * (the system message the prompt builder wrote) and the dialogue, and write an
 * in-character reply from our own templates, varied by seed. Three of them differ on
 * purpose so that a leaderboard has something to separate:
 * - `arbiter-demo-strong` stays in character, answers what the user said, uses the
 *   character's catchphrase and temperament, and hands the turn back;
 * - `arbiter-demo-plain` stays in character but answers generically;
 * - `arbiter-demo-weak` often breaks character, talks like an assistant, or drifts off.
 * Pure: the same messages, model and seed give the same reply.
 */
import { hash32, seededRandom } from "@/lib/domain/seeded-random";

export const DEMO_MODELS = ["arbiter-demo-strong", "arbiter-demo-plain", "arbiter-demo-weak"] as const;
export type DemoModel = (typeof DEMO_MODELS)[number];

export function isDemoModel(model: string): model is DemoModel {
  return (DEMO_MODELS as readonly string[]).includes(model);
}

type Message = { role: string; content: string };

/** What the templates use of the card and the dialogue. */
export interface DemoPersona {
  name: string;
  chinese: boolean;
  catchphrases: string[];
  personality: string | null;
  style: string | null;
  /** The user turn being answered. */
  lastUser: string;
  /** How many user turns the dialogue had. */
  turns: number;
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/;

function field(system: string, names: string[]): string | null {
  for (const line of system.split("\n")) {
    const m = /^\s*([^:：]+)[:：]\s*(.+)$/.exec(line);
    if (m && names.includes(m[1]!.trim().toLowerCase())) return m[2]!.trim();
  }
  return null;
}

/** Reads the persona from the prompt builder's system message and the dialogue. */
export function readPersona(messages: readonly Message[]): DemoPersona {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  const users = messages.filter((m) => m.role === "user");
  const lastUser = users[users.length - 1]?.content ?? "";
  const firstLine = system.split("\n")[0] ?? "";
  const nameMatch = /^(?:Character|角色)\s*[:：]\s*(.+)$/.exec(firstLine.trim());
  const chinese = system.startsWith("角色") || HAN.test(lastUser);
  const catchphrase = field(system, ["catchphrases", "catchphrase", "口头禅"]);
  return {
    name: nameMatch?.[1]?.trim() || (chinese ? "我" : "I"),
    chinese,
    catchphrases: catchphrase ? catchphrase.split(/\s*(?:、|;|；)\s*/).filter(Boolean) : [],
    personality: field(system, ["personality", "性格", "人物性格"]),
    style: field(system, ["speaking style", "speech style", "说话风格", "语言风格", "说话方式"]),
    lastUser,
    turns: users.length,
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** A short echo of what the user said: its first clause, trimmed. */
function topicOf(text: string, chinese: boolean): string {
  const clause =
    text
      .split(chinese ? /[，。！？!?,.\n]/ : /[,.!?\n;]/)
      .map((s) => s.trim())
      .find((s) => s.length > 0) ?? text.trim();
  if (chinese) return [...clause].slice(0, 14).join("");
  const words = clause.split(/\s+/).slice(0, 8).join(" ");
  return words.replace(/^(i|i'm|you|you're|do|did|can|will|what|why|how|where|when)\b\s*/i, (w) => w).toLowerCase();
}

function traitOf(p: DemoPersona, rand: () => number): string | null {
  const source = p.personality ?? p.style;
  if (!source) return null;
  const parts = source.split(/\s*(?:、|，|,|;|；|。)\s*/).filter((s) => s.length > 0 && s.length < 40);
  return parts.length > 0 ? pick(rand, parts) : null;
}

const ZH = {
  actions: ["（轻轻一笑）", "（挑了挑眉）", "（沉默片刻）", "（放下手里的东西）", "（眼睛一亮）", "（叹了口气）", "（凑近了些）"],
  echo: [
    (t: string) => `你说「${t}」？`,
    (t: string) => `「${t}」——这话倒是有意思。`,
    (t: string) => `原来是为了「${t}」。`,
    (t: string) => `提到「${t}」，我可不会装作没听见。`,
  ],
  trait: [
    (t: string) => `你也知道我这人${t}，这种事我向来不含糊。`,
    (t: string) => `我${t}惯了，不过这回我认真听你说。`,
    (t: string) => `换作别人我早就不耐烦了——可我${t}，偏偏对你不一样。`,
  ],
  body: [
    "这件事没你想得那么简单，但也没那么难。",
    "既然你开口了，我就陪你走这一趟。",
    "先别急，我们一步一步来。",
    "我记得你上次也这么说过，这回可别反悔。",
    "说实话，我心里早有打算了。",
  ],
  back: ["你呢，你真正想要的是什么？", "说吧，接下来你打算怎么做？", "那你敢不敢跟我一起去？", "告诉我，你是认真的吗？"],
  plain: ["嗯，我明白了。", "好的，我知道了。", "这个嘛，还可以吧。", "你说得也有道理。", "那就这样吧。"],
  plainMore: ["我们以后再说。", "我会考虑的。", "有什么事再找我。", "先这样吧。"],
  weak: [
    "作为一个人工智能助手，我无法扮演这个角色，但我很乐意为您提供帮助。",
    "您好！关于您的问题，建议您查阅相关资料或咨询专业人士。",
    "我是一个语言模型，没有个人感受。请问还有什么可以帮您？",
    "这个问题很好。首先，我们需要明确问题的定义。其次，我们需要分析原因。最后，我们需要给出结论。",
    "好的好的好的，没问题没问题。",
    "今天天气不错，适合出去走走。",
  ],
};

const EN = {
  actions: [
    "*smiles faintly*",
    "*raises an eyebrow*",
    "*pauses for a moment*",
    "*sets down what they were holding*",
    "*eyes light up*",
    "*sighs*",
    "*leans closer*",
  ],
  echo: [
    (t: string) => `"${t}" — is that what this is about?`,
    (t: string) => `You say "${t}", and you expect me to stay calm?`,
    (t: string) => `So it comes down to "${t}".`,
    (t: string) => `"${t}". I heard you the first time.`,
  ],
  trait: [
    (t: string) => `You know me — ${t} — so I won't pretend this is nothing.`,
    (t: string) => `I'm ${t} by nature, but for you I'll listen properly.`,
    (t: string) => `Anyone else would get the ${t} side of me. You get the truth.`,
  ],
  body: [
    "It's not as simple as you think, but it isn't hopeless either.",
    "Since you've asked, I'll see this through with you.",
    "Slow down. We take this one step at a time.",
    "You said the same thing last time. Don't back out on me now.",
    "To be honest, I've already got a plan.",
  ],
  back: [
    "And you — what do you actually want?",
    "So tell me, what's your next move?",
    "Are you coming with me or not?",
    "Tell me you mean it.",
  ],
  plain: ["Okay, I understand.", "Alright, got it.", "Well, that's fine I guess.", "You have a point.", "Sure, let's do that."],
  plainMore: ["We can talk later.", "I'll think about it.", "Let me know if anything comes up.", "That's all for now."],
  weak: [
    "As an AI language model, I cannot role-play this character, but I'm happy to help with your question.",
    "Hello! For questions like this, I recommend consulting reliable sources or a professional.",
    "I am a language model and do not have personal feelings. Is there anything else I can help you with?",
    "That is a great question. First, we need to define the problem. Second, we analyse the causes. Finally, we draw a conclusion.",
    "Yes yes yes, no problem no problem.",
    "The weather is nice today. It is a good day for a walk.",
  ],
};

/** Writes the reply of `model` to `messages` for `seed` (see the module comment). */
export function demoReply(model: DemoModel, messages: readonly Message[], seed: number): string {
  const persona = readPersona(messages);
  const rand = seededRandom(seed ^ hash32(model) ^ hash32(persona.lastUser) ^ Math.imul(persona.turns, 0x9e3779b1));
  const t = persona.chinese ? ZH : EN;
  const join = (parts: string[]) => (persona.chinese ? parts.join("") : parts.join(" "));
  const topic = topicOf(persona.lastUser, persona.chinese);
  const catchphrase = persona.catchphrases.length > 0 ? pick(rand, persona.catchphrases) : null;

  if (model === "arbiter-demo-strong") {
    const parts = [pick(rand, t.actions)];
    if (topic) parts.push(pick(rand, t.echo)(topic));
    const trait = traitOf(persona, rand);
    if (trait) parts.push(pick(rand, t.trait)(trait));
    parts.push(pick(rand, t.body));
    if (catchphrase) parts.push(persona.chinese ? `${catchphrase}！` : `${catchphrase}!`);
    parts.push(pick(rand, t.back));
    return join(parts);
  }
  if (model === "arbiter-demo-plain") {
    const parts = [pick(rand, t.plain)];
    if (rand() < 0.5) parts.push(pick(rand, t.body));
    if (catchphrase && rand() < 0.3) parts.push(persona.chinese ? `${catchphrase}。` : `${catchphrase}.`);
    parts.push(pick(rand, t.plainMore));
    return join(parts);
  }
  // Weak: mostly out of character; sometimes a bare echo of the user.
  if (rand() < 0.25 && topic) return persona.chinese ? `${topic}？${pick(rand, t.plain)}` : `${topic}? ${pick(rand, t.plain)}`;
  return pick(rand, t.weak);
}

/**
 * Splits a reply into stream tokens: words with their leading space for spaced scripts,
 * one or two characters at a time for Chinese, so a stream looks like a model's.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const re =
    /\s*[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]{1,2}|\s*[^\s\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+|\s+$/gu;
  for (const m of text.matchAll(re)) out.push(m[0]);
  return out.join("") === text ? out : [...text];
}

/** A rough token count of a prompt (for `usage`): words plus Han characters. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}
