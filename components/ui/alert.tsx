import type { CSSProperties, ReactNode } from "react";

/** A form's or a page's outcome: the text, and whether it went well. */
export type Notice = { ok: boolean; text: string };

/**
 * One outcome line. A failure is an alert (announced at once); a success is a status
 * (announced when the reader is idle), so every form says both the same way.
 */
export function Alert({ ok = false, id, style, children }: { ok?: boolean; id?: string; style?: CSSProperties; children: ReactNode }) {
  return (
    <p className={`alert ${ok ? "alert-ok" : "alert-error"}`} role={ok ? "status" : "alert"} id={id} style={style}>
      {children}
    </p>
  );
}

/** The last outcome a form keeps in its state, or nothing yet. */
export function NoticeAlert({ notice }: { notice: Notice | null }) {
  return notice ? <Alert ok={notice.ok}>{notice.text}</Alert> : null;
}

/** An error message kept in state, shown while there is one. */
export function ErrorAlert({ error }: { error: string | null | undefined }) {
  return error ? <Alert>{error}</Alert> : null;
}
