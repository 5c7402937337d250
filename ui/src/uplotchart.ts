// Draws a ChartSpec (charts.ts) with uPlot. uPlot draws on a canvas and sets
// only element.style from script, which the CSP (style-src 'self') allows;
// its stylesheet is bundled from here. The library itself is loaded with the
// first chart, not at start-up: the other views never need it, and a failure
// to load it (see `loadUplot`) then costs the charts, not the whole UI.
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { withAlpha, type ChartSpec } from "./charts";
import { formatAxisTime, formatIsoDateTime, formatValue, validLanguage } from "./format";

let library: Promise<typeof uPlot> | null = null;

/**
 * uPlot, loaded once. It builds an Intl.NumberFormat from
 * navigator.language as it loads and throws on a tag Intl rejects (WebKitGTK
 * says "C" when LANG is unset), so such a tag is replaced by "en-US" first.
 */
export function loadUplot(): Promise<typeof uPlot> {
  library ??= (async () => {
    if (!validLanguage(navigator.language)) {
      Object.defineProperty(navigator, "language", { value: "en-US", configurable: true });
    }
    return (await import("uplot")).default;
  })();
  return library;
}

const HEIGHT = 200;

/**
 * One uPlot chart. Rebuilt when its lines change (another interface, the
 * theme); otherwise new data is set in place so refreshes do not flash. A
 * drag across the plot reports the selected window instead of zooming in
 * place: the page fetches finer buckets for it.
 */
export class Chart {
  private plot: uPlot | null = null;
  private signature = "";
  private range: [number, number] = [0, 1];
  private pending: ChartSpec | null = null;
  private destroyed = false;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(
    private readonly host: HTMLElement,
    private readonly onSelect: (fromSec: number, toSec: number) => void,
  ) {
    this.resize.observe(host);
  }

  /** Draws `s` once uPlot has loaded; a newer call before then wins. */
  set(s: ChartSpec, fromSec: number, toSec: number): Promise<void> {
    this.range = [fromSec, toSec];
    this.pending = s;
    return loadUplot().then((U) => {
      if (this.pending !== s || this.destroyed) return;
      const sig = JSON.stringify(s.lines);
      if (this.plot !== null && sig === this.signature) {
        this.plot.setData(s.data as uPlot.AlignedData);
        return;
      }
      this.signature = sig;
      this.plot?.destroy();
      this.plot = new U(this.options(s), s.data as uPlot.AlignedData, this.host);
    });
  }

  /** Colours come from CSS variables; call after the OS theme changes. */
  rebuild(s: ChartSpec | undefined): void {
    this.signature = "";
    if (s !== undefined) void this.set(s, this.range[0], this.range[1]);
  }

  destroy(): void {
    this.destroyed = true;
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  private fit(): void {
    const w = this.host.clientWidth;
    if (this.plot !== null && w > 0 && w !== this.plot.width) this.plot.setSize({ width: w, height: HEIGHT });
  }

  private options(s: ChartSpec): uPlot.Options {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string): string => css.getPropertyValue(name).trim() || "#888";
    const fg = v("--muted");
    const grid = v("--border");
    const unitOf = (axis: 0 | 1): string => s.lines.find((l) => l.axis === axis)?.unit ?? "";
    const axis = (a: 0 | 1): uPlot.Axis => ({
      scale: a === 0 ? "y" : "y2",
      side: a === 0 ? 3 : 1,
      stroke: fg,
      grid: { show: a === 0, stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      // Wide enough for the longest tick label ("999.9 kbit/s"), never clipped.
      size: (_u, values) => Math.max(40, 20 + 8 * Math.max(0, ...(values ?? []).map((t) => t.length))),
      values: (_u, splits) => splits.map((x) => formatValue(x, unitOf(a))),
    });
    const hasRight = s.lines.some((l) => l.axis === 1);
    return {
      width: Math.max(this.host.clientWidth, 300),
      height: HEIGHT,
      series: [
        { value: (_u: uPlot, t: number | null) => (t === null ? "—" : formatIsoDateTime(new Date(t * 1000))) },
        ...s.lines.map((l) => ({
          label: l.label,
          scale: l.axis === 0 ? "y" : "y2",
          stroke: v(l.colour),
          width: l.width,
          value: (_u: uPlot, x: number | null) => formatValue(x, l.unit),
          ...(l.faint === true ? { alpha: 0.5 } : {}),
        })),
      ],
      bands: s.bands.map(([hi, lo]) => ({ series: [hi, lo], fill: withAlpha(v(s.lines[hi - 1]?.colour ?? "--accent"), 0.15) })),
      scales: {
        x: { time: true, range: () => this.range },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        y2: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          // uPlot's own labels read "8:31am" in every locale; format.ts follows the user's.
          values: (_u, splits) => splits.map((t) => formatAxisTime(t, this.range[1] - this.range[0])),
        },
        axis(0),
        ...(hasRight ? [axis(1)] : []),
      ],
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width <= 0) return;
            const from = u.posToVal(u.select.left, "x");
            const to = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.onSelect(from, to);
          },
        ],
      },
    };
  }
}
