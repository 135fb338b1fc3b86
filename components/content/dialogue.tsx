import { ModelText } from "./model-text";

export type DialogueMessage = { role: "user" | "assistant"; content: string };

/**
 * The dialogue context as chat bubbles: the user on one side, the character on the
 * other, in order, ending with the user turn the candidates answer.
 */
export function Dialogue({
  messages,
  characterName,
  userLabel,
  scene,
  sceneLabel,
  markdown = false,
  label,
}: {
  messages: DialogueMessage[];
  characterName: string;
  userLabel: string;
  scene?: string | null;
  sceneLabel: string;
  markdown?: boolean;
  label: string;
}) {
  return (
    <section className="dialogue" aria-label={label}>
      {scene && (
        <p className="scene">
          <strong>{sceneLabel}</strong> <ModelText text={scene} markdown={markdown} />
        </p>
      )}
      <ol className="bubbles">
        {messages.map((m, i) => (
          <li key={i} className={`bubble bubble-${m.role}`}>
            <span className="bubble-speaker">{m.role === "user" ? userLabel : characterName}</span>
            <ModelText text={m.content} markdown={markdown} />
          </li>
        ))}
      </ol>
    </section>
  );
}
