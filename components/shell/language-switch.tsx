"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setLocaleAction } from "@/app/actions/locale";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n";

/** Switches the UI language; remembered on the user (and in a cookie before sign-in). */
export function LanguageSwitch({ locale, label }: { locale: Locale; label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    // biome-ignore lint/a11y/useSemanticElements: two toggle buttons in the header, not form fields: a fieldset would be the wrong element
    <div className="lang-switch" role="group" aria-label={label}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === locale}
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              await setLocaleAction(l);
              router.refresh();
            })
          }
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
