import type { ReactNode } from 'react';

/** One column heading; a column of amounts names its class so the heading aligns with them. */
export type Column = ReactNode | { label: ReactNode; className: string };

function isClassed(column: Column): column is { label: ReactNode; className: string } {
  return typeof column === 'object' && column !== null && 'className' in column && 'label' in column;
}

/**
 * A data table's caption and heading row, written once: every heading is a column header
 * (`scope="col"`) so screen readers name each cell by its column. `caption` is for screen
 * readers only (the screen already shows the title); a column given as `null` is left out.
 */
export function TableHead({
  columns,
  caption,
  className,
}: {
  columns: readonly Column[];
  caption?: string;
  className?: string;
}) {
  return (
    <>
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead className={className}>
        <tr>
          {columns.map((column, index) =>
            column === null ? null : isClassed(column) ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their order is their identity.
              <th key={index} scope="col" className={column.className}>
                {column.label}
              </th>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; their order is their identity.
              <th key={index} scope="col">
                {column}
              </th>
            ),
          )}
        </tr>
      </thead>
    </>
  );
}
