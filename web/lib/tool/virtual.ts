/** Which rows of a long table to render (spec 07 §Quality: a virtualised table for 10,000 rows). */

export interface RowWindow {
  /** First row index rendered. */
  readonly start: number;
  /** One past the last row index rendered. */
  readonly end: number;
  /** Height of the space above and below the rendered rows, in px. */
  readonly before: number;
  readonly after: number;
}

/** The rows visible in a viewport of `height` px scrolled to `scrollTop`, plus `overscan` on each side. */
export function rowWindow(count: number, rowHeight: number, scrollTop: number, height: number, overscan = 8): RowWindow {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const start = Math.min(first, count);
  const end = Math.max(start, last);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/** The scrollTop that brings row `index` fully into a viewport, or null when it is already inside. */
export function scrollToShow(index: number, rowHeight: number, scrollTop: number, height: number, header = 0): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height - header) return bottom - height + header;
  return null;
}
