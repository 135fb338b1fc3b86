"use client";

import { useRouter } from "next/navigation";
import { editJudgmentAction } from "@/app/(annotate)/annotate/[slug]/actions";
import type { Locale, MessageKey } from "@/lib/i18n";
import type { getMyJudgment } from "@/lib/services/annotation";
import { TaskForm } from "./task-form";

type Found = Awaited<ReturnType<typeof getMyJudgment>>;

/** The task as it was shown, with the stored answer filled in; saving supersedes it. */
export function EditJudgment({
  found,
  userId,
  messages: m,
  locale,
}: {
  found: Found;
  userId: number;
  messages: Record<MessageKey, string>;
  locale: Locale;
}) {
  const router = useRouter();
  return (
    <TaskForm
      view={found}
      initial={found.judgment.answer}
      messages={m}
      locale={locale}
      userId={userId}
      submitLabel={m["annotate.editSave"]}
      onSubmit={async (answer) => {
        const { seconds: _ignored, ...rest } = answer;
        void _ignored;
        const result = await editJudgmentAction({ judgmentId: found.judgment.id, answer: rest });
        if (result.ok) {
          router.push(`/history?project=${encodeURIComponent(found.project.slug)}&edited=1`);
          router.refresh();
        }
        return result;
      }}
    />
  );
}
