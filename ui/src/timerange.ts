// The device page's time range: a preset ending now ("last 6 h", refreshed
// while shown) or a fixed window someone zoomed into on a chart (not
// refreshed: its data does not change). Pure, so the rules are tested
// without a DOM; `TimeRangePicker` is the thin button row over them.
import { formatDateTime, formatTime } from "./format";
import { draw, html, type TemplateResult } from "./html";

export interface Preset {
  readonly key: string;
  readonly label: string;
  readonly seconds: number;
}

export const PRESETS: readonly Preset[] = [
  { key: "1h", label: "1 h", seconds: 3600 },
  { key: "6h", label: "6 h", seconds: 6 * 3600 },
  { key: "24h", label: "24 h", seconds: 24 * 3600 },
  { key: "7d", label: "7 d", seconds: 7 * 86_400 },
  { key: "30d", label: "30 d", seconds: 30 * 86_400 },
];

export const DEFAULT_PRESET = "24h";

/** How often a range ending now is fetched again while the page shows. */
export const REFRESH_MS = 30_000;

/** The service's bounds on points per series (see meridian-core history.rs). */
export const MIN_POINTS = 10;
export const MAX_POINTS = 2000;

/** Narrowest zoom worth a fetch: below this the buckets are single samples anyway. */
export const MIN_ZOOM_MS = 60_000;

export type TimeRange = { kind: "preset"; key: string } | { kind: "fixed"; fromMs: number; toMs: number };

export function preset(key: string): Preset {
  return PRESETS.find((p) => p.key === key) ?? PRESETS.find((p) => p.key === DEFAULT_PRESET) ?? PRESETS[0]!;
}

/**
 * The range a device page opens with: the shortest preset that covers the
 * device's whole life (a device added 10 minutes ago shows the last hour,
 * not a day of empty axes), and the default for older devices. An unreadable
 * or future creation time gives the default.
 */
export function presetForAge(createdAtMs: number, nowMs: number): string {
  const ageSec = (nowMs - createdAtMs) / 1000;
  const dflt = preset(DEFAULT_PRESET);
  if (!Number.isFinite(ageSec) || ageSec < 0) return dflt.key;
  const fits = PRESETS.find((p) => p.seconds >= ageSec && p.seconds <= dflt.seconds);
  return (fits ?? dflt).key;
}

/** The concrete window at `nowMs`. */
export function resolve(r: TimeRange, nowMs: number): { from: Date; to: Date } {
  if (r.kind === "fixed") return { from: new Date(r.fromMs), to: new Date(r.toMs) };
  return { from: new Date(nowMs - preset(r.key).seconds * 1000), to: new Date(nowMs) };
}

/** Whether the range ends now, so new samples keep arriving in it. */
export function isLive(r: TimeRange): boolean {
  return r.kind === "preset";
}

/** Whether to fetch again on a timer tick. */
export function shouldRefresh(r: TimeRange, pageVisible: boolean, documentVisible: boolean): boolean {
  return isLive(r) && pageVisible && documentVisible;
}

/**
 * Points per series for a chart `widthPx` wide: about one per two pixels,
 * which is as much as a line can show, within the service's bounds.
 */
export function maxPointsFor(widthPx: number): number {
  const n = Math.round((Number.isFinite(widthPx) ? widthPx : 0) / 2);
  return Math.min(MAX_POINTS, Math.max(MIN_POINTS, n));
}

/**
 * A chart selection (unix seconds) as a fixed range, or null when it is too
 * narrow to be meant (a click, not a drag).
 */
export function zoomTo(fromSec: number, toSec: number): TimeRange | null {
  const fromMs = Math.round(Math.min(fromSec, toSec) * 1000);
  const toMs = Math.round(Math.max(fromSec, toSec) * 1000);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs - fromMs < MIN_ZOOM_MS) return null;
  return { kind: "fixed", fromMs, toMs };
}

/** What the picker shows for the range: the preset's label or the window's ends. */
export function describe(r: TimeRange, locale?: string): string {
  if (r.kind === "preset") return `last ${preset(r.key).label}`;
  const [from, to] = [new Date(r.fromMs), new Date(r.toMs)];
  const sameDay = from.toDateString() === to.toDateString();
  const end = sameDay ? formatTime(to, { locale }) : formatDateTime(to, { locale });
  return `${formatDateTime(from, { locale })} – ${end}`;
}

/** The picker's buttons; `aria-pressed` marks the active preset. */
export function presetButtons(r: TimeRange): TemplateResult {
  const active = r.kind === "preset" ? r.key : "";
  return html`${PRESETS.map(
    (p) =>
      html`<button type="button" class="small" data-range=${p.key} aria-pressed=${String(p.key === active)}
        title="The last ${p.label}">${p.label}</button>`,
  )}`;
}

/** A row of preset buttons; a click picks the preset and calls `onChange`. */
export class TimeRangePicker {
  private current: TimeRange = { kind: "preset", key: DEFAULT_PRESET };

  constructor(
    private readonly buttons: HTMLElement,
    private readonly label: HTMLElement,
    private readonly onChange: (r: TimeRange) => void,
  ) {
    buttons.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest("button[data-range]") : null;
      if (!(b instanceof HTMLButtonElement)) return;
      this.set({ kind: "preset", key: b.dataset["range"] ?? DEFAULT_PRESET });
      this.onChange(this.current);
    });
    this.render();
  }

  get range(): TimeRange {
    return this.current;
  }

  set(r: TimeRange): void {
    this.current = r;
    this.render();
  }

  private render(): void {
    // Re-rendering would drop keyboard focus; only the pressed state changes.
    draw(this.buttons, presetButtons(this.current));
    this.label.textContent = describe(this.current);
  }
}
