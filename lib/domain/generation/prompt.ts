/**
 * The messages a generation request sends for an item: exactly the DPO export's `prompt`
 * (the same builder, the same language rule), so what a model was asked and what the
 * trainer sees are the same bytes.
 */
import { buildPrompt, itemLanguage, type ChatMessage, type ExportItem } from "@/lib/domain/export";

export type PromptMessages = { ok: true; messages: ChatMessage[] } | { ok: false; reason: "empty_context" | "ends_with_assistant" };

/** The chat messages for `item` (system card, then the dialogue ending with the user turn). */
export function promptMessages(item: ExportItem, defaultLanguage?: string | null): PromptMessages {
  const built = buildPrompt(item, itemLanguage(item, defaultLanguage));
  return built.ok ? { ok: true, messages: built.messages } : built;
}
