import type { CSSProperties, ReactNode } from "react";

/** One entry of a {@link Terms} list. */
export type Term = { term: ReactNode; value: ReactNode; valueStyle?: CSSProperties };

/** A description list (<dl>) of terms and their values; an entry given as false or null is left out (a conditional term). */
export function Terms({
  items,
  className,
  style,
}: {
  items: (Term | false | null | undefined)[];
  className?: string;
  style?: CSSProperties;
}) {
  return (
    <dl className={className} style={style}>
      {items
        .filter((item): item is Term => Boolean(item))
        .map((item, i) => (
          <div key={i}>
            <dt>{item.term}</dt>
            <dd style={item.valueStyle}>{item.value}</dd>
          </div>
        ))}
    </dl>
  );
}
