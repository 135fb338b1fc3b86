"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { saveCharacterAction } from "@/app/(research)/characters/actions";
import { type Notice, NoticeAlert } from "@/components/ui/alert";
import { Field, SubmitRow } from "@/components/ui/form";
import type { MessageKey } from "@/lib/i18n";

/** Name + profile (as JSON) editor; the server validates with the import's rules. */
export function CharacterForm({
  id,
  initial,
  messages: m,
}: {
  id?: number;
  initial: { name: string; profileJson: string };
  messages: Record<MessageKey, string>;
}) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [profileJson, setProfileJson] = useState(initial.profileJson);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pending, startTransition] = useTransition();
  const profileError = Object.entries(errors)
    .filter(([k]) => k === "profile" || k.startsWith("profile"))
    .flatMap(([k, v]) => v.map((msg) => (k === "profile" ? msg : `${k}: ${msg}`)));
  return (
    <form
      className="panel stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await saveCharacterAction({ id, name, profileJson });
          if (!result.ok) {
            setErrors(result.fieldErrors ?? {});
            setNotice({ ok: false, text: result.message });
            return;
          }
          setErrors({});
          setNotice({ ok: true, text: m["characters.saved"] });
          router.push(`/characters/${result.data.id}`);
          router.refresh();
        });
      }}
    >
      <NoticeAlert notice={notice} />
      <Field id="c-name" label={m["form.name"]} errors={errors.name}>
        {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field id="c-profile" label={m["characters.profile"]} errors={profileError}>
        {(control) => (
          <textarea
            {...control}
            rows={16}
            spellCheck={false}
            style={{ fontFamily: "ui-monospace, monospace" }}
            value={profileJson}
            onChange={(e) => setProfileJson(e.target.value)}
          />
        )}
      </Field>
      <SubmitRow busy={pending}>{id ? m["form.save"] : m["form.create"]}</SubmitRow>
    </form>
  );
}
