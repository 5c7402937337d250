// Names on the map where there is room: each candidate (a site, a device)
// tries four places round its marker, in order, and takes the first that
// stays in view and overlaps no marker and no label placed before it.
// Candidates go by priority (sites before devices), so with little room the
// important names show and the rest stay off rather than piling up. Text
// width is estimated, not measured: layout reads would cost a reflow per
// label on every redraw. Pure, so vitest covers it.

export type Side = "right" | "left" | "top" | "bottom";
export const SIDES: readonly Side[] = ["right", "left", "top", "bottom"];

export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface LabelCandidate {
  readonly key: string;
  readonly text: string;
  /** The marker's centre in container pixels. */
  readonly x: number;
  readonly y: number;
  /** The marker's radius: the label starts this far (plus a gap) from the centre. */
  readonly r: number;
  /** Higher first. */
  readonly priority: number;
}

export interface PlacedLabel {
  readonly side: Side;
  readonly rect: Rect;
  readonly width: number;
}

export interface LabelOptions {
  /** Average glyph width of the label font (12 px system sans). */
  readonly charPx?: number;
  readonly heightPx?: number;
  readonly gapPx?: number;
  /** At most this many labels (a bound on work and on clutter). */
  readonly max?: number;
  /** Longer names are cut with an ellipsis. */
  readonly maxChars?: number;
}

export function labelText(text: string, maxChars = 24): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

export function labelWidth(text: string, charPx = 6.6): number {
  return Math.ceil(text.length * charPx) + 8;
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** The label's box on `side` of a marker. */
export function labelRect(c: LabelCandidate, side: Side, w: number, h: number, gap: number): Rect {
  const d = c.r + gap;
  switch (side) {
    case "right":
      return { x0: c.x + d, y0: c.y - h / 2, x1: c.x + d + w, y1: c.y + h / 2 };
    case "left":
      return { x0: c.x - d - w, y0: c.y - h / 2, x1: c.x - d, y1: c.y + h / 2 };
    case "top":
      return { x0: c.x - w / 2, y0: c.y - d - h, x1: c.x + w / 2, y1: c.y - d };
    case "bottom":
      return { x0: c.x - w / 2, y0: c.y + d, x1: c.x + w / 2, y1: c.y + d + h };
  }
}

/** Where each candidate's label goes; candidates without room are absent. */
export function placeLabels(
  candidates: readonly LabelCandidate[],
  obstacles: readonly Rect[],
  view: { readonly width: number; readonly height: number },
  opts: LabelOptions = {},
): Map<string, PlacedLabel> {
  const h = opts.heightPx ?? 16;
  const gap = opts.gapPx ?? 3;
  const max = opts.max ?? 150;
  const out = new Map<string, PlacedLabel>();
  const placed: Rect[] = [];
  const order = [...candidates].sort((a, b) => b.priority - a.priority || (a.key < b.key ? -1 : 1));
  for (const c of order) {
    if (out.size >= max) break;
    const w = labelWidth(labelText(c.text, opts.maxChars), opts.charPx);
    for (const side of SIDES) {
      const r = labelRect(c, side, w, h, gap);
      if (r.x0 < 0 || r.y0 < 0 || r.x1 > view.width || r.y1 > view.height) continue;
      if (placed.some((p) => overlaps(p, r)) || obstacles.some((o) => overlaps(o, r))) continue;
      placed.push(r);
      out.set(c.key, { side, rect: r, width: w });
      break;
    }
  }
  return out;
}

/** A marker's box, as an obstacle for labels. */
export function markerRect(x: number, y: number, r: number): Rect {
  return { x0: x - r, y0: y - r, x1: x + r, y1: y + r };
}
