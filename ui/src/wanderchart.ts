// MTIE or TDEV against tau on log-log axes, the chosen masks drawn over the
// measured curve (timingmodel.ts builds the data). uPlot's log scale
// (distr 3) on both axes; loaded with the first plot, like the time charts.
import type uPlot from "uplot";
import { loadUplot } from "./uplotchart";
import type { WanderPlot } from "./timingmodel";
import { formatSeconds } from "./format";

const HEIGHT = 240;
const MASK_COLOURS = ["--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];

export class WanderChart {
  private plot: uPlot | null = null;
  private readonly resize = new ResizeObserver(() => {
    const w = this.host.clientWidth;
    if (this.plot !== null && w > 0 && w !== this.plot.width) this.plot.setSize({ width: w, height: HEIGHT });
  });

  constructor(private readonly host: HTMLElement) {
    this.resize.observe(host);
  }

  async set(p: WanderPlot): Promise<void> {
    const U = await loadUplot();
    this.plot?.destroy();
    const css = getComputedStyle(document.documentElement);
    const v = (name: string): string => css.getPropertyValue(name).trim() || "#888";
    const fg = v("--muted");
    const grid = v("--border");
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      size: 70,
      // uPlot passes null for the log ticks it leaves unlabelled.
      values: (_u, splits) => splits.map((x: number | null) => (x === null ? "" : formatSeconds(x))),
    });
    const opts: uPlot.Options = {
      width: Math.max(this.host.clientWidth, 300),
      height: HEIGHT,
      series: [
        { label: "tau", value: (_u: uPlot, t: number | null) => (t === null ? "—" : formatSeconds(t)) },
        ...p.labels.map((label, i) => ({
          label,
          stroke: v(i === 0 ? "--chart-1" : (MASK_COLOURS[(i - 1) % MASK_COLOURS.length] ?? "--accent")),
          width: i === 0 ? 2 : 1.5,
          ...(i === 0 ? {} : { dash: [6, 4] }),
          // Nulls come from the other lines' taus (and zeros, which a log axis cannot show).
          spanGaps: true,
          points: { show: i === 0 },
          value: (_u: uPlot, x: number | null) => (x === null ? "—" : formatSeconds(x)),
        })),
      ],
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      axes: [axis("tau"), axis(p.metric.toUpperCase())],
    };
    this.plot = new U(opts, p.data as uPlot.AlignedData, this.host);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
