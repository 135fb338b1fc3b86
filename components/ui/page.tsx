import Link from "next/link";
import type { ReactNode } from "react";

/**
 * The shell of a page: its one h1 (with the page's main action on the same line: a
 * `create` link such as "New project", or any other `action`), the tabs under it, an
 * introduction, then the content.
 */
export function Page({
  title,
  create,
  action = create && (
    <Link className="btn btn-primary" href={create.href}>
      {create.label}
    </Link>
  ),
  tabs,
  intro,
  children,
}: {
  title: ReactNode;
  /** The page's create link, when the user may create (false otherwise). */
  create?: { href: string; label: string } | false;
  action?: ReactNode;
  tabs?: ReactNode;
  intro?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="stack">
      {action ? (
        <div className="toolbar" style={{ justifyContent: "space-between" }}>
          <h1 style={{ margin: 0 }}>{title}</h1>
          {action}
        </div>
      ) : (
        <h1>{title}</h1>
      )}
      {tabs}
      {intro && <p className="muted">{intro}</p>}
      {children}
    </div>
  );
}

/**
 * A titled panel of a page: a region named by its h2 (so it is a landmark a screen reader
 * lists), with an optional one-line note under the title.
 */
export function Section({
  id,
  title,
  note,
  className = "panel stack",
  children,
}: {
  /** The heading's id, unique on the page. */
  id: string;
  title: ReactNode;
  note?: ReactNode;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <section className={className} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {note && <Note>{note}</Note>}
      {children}
    </section>
  );
}

/** A muted line of explanation set tight under what it explains. */
export function Note({ children }: { children: ReactNode }) {
  return (
    <p className="muted" style={{ margin: 0 }}>
      {children}
    </p>
  );
}

/** A page that only says something (not found, forbidden, sign out?): title, message and one way on. */
export function MessagePage({
  title,
  message,
  className = "panel stack",
  children,
}: {
  title: ReactNode;
  message: ReactNode;
  className?: string;
  /** The way on: a link back, a button. */
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <h1>{title}</h1>
      <p>{message}</p>
      {children}
    </div>
  );
}
