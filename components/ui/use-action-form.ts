import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions";

/**
 * A form that sends its FormData to a server action. While the action fails, its field
 * errors (for each Field) and its message (for an alert) are kept; when it succeeds they
 * are cleared, `onSuccess` runs (it may return a notice to show) and the page's server
 * data is refreshed.
 */
export function useActionForm<T>(
  submit: (data: FormData) => Promise<ActionResult<T>>,
  // biome-ignore lint/suspicious/noConfusingVoidType: the callback returns nothing, or the notice to show
  onSuccess: (data: T, form: HTMLFormElement) => string | void,
) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    startTransition(async () => {
      const result = await submit(data);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setError(result.message);
        setNotice(null);
        return;
      }
      setErrors({});
      setError(null);
      setNotice(onSuccess(result.data, form) ?? null);
      router.refresh();
    });
  };
  return { pending, startTransition, errors, error, setError, notice, onSubmit };
}

/** A text field of a submitted form ("" when absent). */
export const formText = (data: FormData, name: string) => String(data.get(name) ?? "");
