import type { CSSProperties, ReactNode } from "react";

/** One column of a {@link Table}: its header and what each row shows in it. */
export type Column<T> = {
  /** Header content; empty for a column of row buttons. */
  header?: ReactNode;
  cell: (row: T, index: number) => ReactNode;
  /** The cell names its row (rendered as `<th scope="row">`, as a screen reader expects). */
  rowHeader?: boolean;
  style?: CSSProperties;
};

/**
 * A small, fully rendered table (no paging, sorting or URL state: that is
 * components/data-table): typed columns, one row per item, and what to show instead when
 * there are none. A column given as `false` is left out (a permission-dependent column).
 */
export function Table<T>({
  columns,
  rows,
  rowKey,
  caption,
  captionHidden = false,
  captionStyle,
  empty,
  className = "data",
  ...aria
}: {
  columns: (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  caption?: ReactNode;
  /** The caption is for screen readers only (the page's heading already says it). */
  captionHidden?: boolean;
  captionStyle?: CSSProperties;
  /** Said (muted) instead of the table when there are no rows; without it the table shows an empty body. */
  empty?: string;
  className?: string;
  "aria-label"?: string;
}) {
  if (rows.length === 0 && empty !== undefined) return <p className="muted">{empty}</p>;
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <table className={className} {...aria}>
      {caption !== undefined && (
        <caption className={captionHidden ? "visually-hidden" : undefined} style={captionStyle}>
          {caption}
        </caption>
      )}
      <thead>
        <tr>
          {shown.map((c, j) => (
            <th key={j} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={rowKey(row, i)}>
            {shown.map((c, j) =>
              c.rowHeader ? (
                <th key={j} scope="row" style={c.style}>
                  {c.cell(row, i)}
                </th>
              ) : (
                <td key={j} style={c.style}>
                  {c.cell(row, i)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
