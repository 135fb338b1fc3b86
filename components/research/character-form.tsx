"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { saveCharacterAction } from "@/app/(research)/characters/actions";
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
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
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
      {notice && (
        <p className={`alert ${notice.ok ? "alert-ok" : "alert-error"}`} role={notice.ok ? "status" : "alert"}>
          {notice.text}
        </p>
      )}
      <div className="field">
        <label htmlFor="c-name">{m["form.name"]}</label>
        <input
          id="c-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={Boolean(errors.name)}
          aria-describedby={errors.name ? "err-c-name" : undefined}
        />
        {errors.name && (
          <span className="field-error" id="err-c-name">
            {errors.name.join(" ")}
          </span>
        )}
      </div>
      <div className="field">
        <label htmlFor="c-profile">{m["characters.profile"]}</label>
        <textarea
          id="c-profile"
          rows={16}
          spellCheck={false}
          style={{ fontFamily: "ui-monospace, monospace" }}
          value={profileJson}
          onChange={(e) => setProfileJson(e.target.value)}
          aria-invalid={profileError.length > 0}
          aria-describedby={profileError.length ? "err-c-profile" : undefined}
        />
        {profileError.length > 0 && (
          <span className="field-error" id="err-c-profile">
            {profileError.join(" ")}
          </span>
        )}
      </div>
      <div className="toolbar">
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {id ? m["form.save"] : m["form.create"]}
        </button>
      </div>
    </form>
  );
}
