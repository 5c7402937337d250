// The device page's charts: which series go into which chart, and how their
// values read. Pure, so it is tested without a DOM; uplotchart.ts draws them.
import type { BuiltinMetric, DeviceHistory, SeriesData } from "./generated/bindings";

/** One drawn line; `axis` 1 is the right-hand scale. */
export interface ChartLine {
  label: string;
  unit: string;
  axis: 0 | 1;
  /** A CSS custom property from style.css, read when the chart is built. */
  colour: string;
  width: number;
  /** Min/max edges are thin and unlabelled in the legend's emphasis. */
  faint?: boolean;
}

export interface ChartSpec {
  key: string;
  title: string;
  lines: ChartLine[];
  /** Pairs of 1-based line indices (upper, lower) to fill between. */
  bands: [number, number][];
  /** x (unix seconds) then one column per line; `null` breaks a line, `undefined` is spanned. */
  data: [number[], ...(number | null | undefined)[][]];
}

type Column = { t: readonly number[]; v: readonly number[] };

const COLOURS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];
/** More storage lines than this are noise on one chart; memory comes first. */
const MAX_STORAGE_LINES = 6;

/** A `#rrggbb` colour at `alpha` (canvas fills take rgba, not every CSS colour function). */
export function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  if (m === null) return colour;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? "0", 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * Where a series has a hole (the device did not answer), the time at which
 * to put a `null` so the line breaks there instead of bridging it. A hole is
 * a step over 2.5 times the series' usual spacing (or the bucket width, if
 * wider): buckets narrower than the poll interval are not holes.
 */
export function gapBreaks(t: readonly number[], bucketSecs: number): number[] {
  if (t.length < 3) return [];
  const steps = t.slice(1).map((x, i) => x - (t[i] ?? x));
  const sorted = [...steps].sort((a, b) => a - b);
  const usual = Math.max(bucketSecs, sorted[Math.floor(sorted.length / 2)] ?? bucketSecs);
  const out: number[] = [];
  steps.forEach((s, i) => {
    if (s > 2.5 * usual) out.push((t[i] ?? 0) + usual);
  });
  return out;
}

/** Columns on one shared, sorted x; a column is `undefined` where it has no point. */
export function align(bucketSecs: number, cols: readonly Column[]): ChartSpec["data"] {
  const breaks = cols.map((c) => gapBreaks(c.t, bucketSecs));
  const xs = [...new Set([...cols.flatMap((c) => c.t), ...breaks.flat()])].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = cols.map((c, ci) => {
    const y: (number | null | undefined)[] = new Array<number | undefined>(xs.length).fill(undefined);
    c.t.forEach((x, i) => (y[at.get(x) ?? 0] = c.v[i]));
    for (const b of breaks[ci] ?? []) y[at.get(b) ?? 0] = null;
    return y;
  });
  return [xs, ...ys];
}

/** Built-in metrics are a generated union: a misspelt name does not compile. */
function find(h: DeviceHistory, metric: BuiltinMetric): SeriesData | undefined {
  return h.series.find((s) => s.metric === metric);
}

function spec(key: string, title: string, bucket: number, parts: [ChartLine, Column][], bands: [number, number][] = []): ChartSpec {
  return { key, title, lines: parts.map((p) => p[0]), bands, data: align(bucket, parts.map((p) => p[1])) };
}

const line = (label: string, unit: string, axis: 0 | 1, colour: number, width = 2): ChartLine => ({
  label,
  unit,
  axis,
  colour: COLOURS[colour % COLOURS.length] ?? "--accent",
  width,
});

/** The interface a traffic chart shows, as people name it. */
export function interfaceLabel(s: Pick<SeriesData, "interface" | "ifIndex">): string {
  return s.interface ?? (s.ifIndex === null ? "" : `ifIndex ${s.ifIndex}`);
}

/**
 * The page's charts for one history: latency and loss (RTT average with its
 * min–max band) always; the chosen interface's traffic, CPU and load, and
 * memory and storage when the device has those series. A chart whose series
 * exist but have no points in the range is still returned, so the page can
 * say "no data" in place.
 */
export function chartSpecs(h: DeviceHistory): ChartSpec[] {
  const b = Number(h.bucketSecs);
  const col = (s: SeriesData | undefined, pick: "avg" | "min" | "max" = "avg"): Column => ({ t: s?.t ?? [], v: s?.[pick] ?? [] });
  const rtt = find(h, "rtt_ms");
  const jitter = find(h, "jitter_ms");
  const latency: [ChartLine, Column][] = [
    [{ ...line("RTT max", "ms", 0, 0, 1), faint: true }, col(rtt, "max")],
    [{ ...line("RTT min", "ms", 0, 0, 1), faint: true }, col(rtt, "min")],
    [line("RTT", "ms", 0, 0), col(rtt)],
    [line("Loss", "%", 1, 1), col(find(h, "loss_pct"))],
  ];
  if (jitter !== undefined) latency.push([line("Jitter", "ms", 0, 2, 1), col(jitter)]);
  const traffic = (metric: BuiltinMetric) => h.series.find((s) => s.metric === metric && s.ifIndex !== null);
  const inS = traffic("if_in_bps");
  const outS = traffic("if_out_bps");
  const name = interfaceLabel(inS ?? outS ?? { interface: null, ifIndex: h.ifIndex });
  const charts = [spec("latency", "Latency and loss", b, latency, [[1, 2]])];
  // A chart only for what the device reports (a series exists, even if this
  // range has no points): a ping-only device gets no empty traffic or CPU axes.
  if (inS !== undefined || outS !== undefined) {
    charts.push(
      spec("traffic", name === "" ? "Traffic" : `Traffic — ${name}`, b, [
        [line("In", "bit/s", 0, 2), col(inS)],
        [line("Out", "bit/s", 0, 3), col(outS)],
      ]),
    );
  }
  const cpu = find(h, "cpu_pct");
  const load = find(h, "load1");
  if (cpu !== undefined || load !== undefined) {
    charts.push(
      spec("cpu", "CPU and load", b, [
        [line("CPU", "%", 0, 4), col(cpu)],
        [line("Load (1 min)", "", 1, 5), col(load)],
      ]),
    );
  }
  const storageMetric: BuiltinMetric = "storage_used_pct";
  const storage = h.series
    .filter((s) => s.metric === storageMetric)
    .map((s) => ({ s, area: s.row ?? "" }))
    .sort((x, y) => Number(!isMemory(x.area)) - Number(!isMemory(y.area)) || x.area.localeCompare(y.area))
    .slice(0, MAX_STORAGE_LINES);
  if (storage.length > 0) {
    const parts = storage.map(({ s, area }, i): [ChartLine, Column] => [line(area, "%", 0, i), col(s)]);
    charts.push(spec("storage", storage.some((x) => isMemory(x.area)) ? "Memory and storage" : "Storage", b, parts));
  }
  charts.push(...timingSpecs(h, b, col));
  return charts;
}

/**
 * Timing charts, each only when the device has its series (a watched NTP
 * server or PTP clock): the offset with its min–max band and the delay on
 * one scale (both are times), and what says how far the reference is
 * (stratum; the grandmaster's clock class and steps removed) on the right.
 */
function timingSpecs(h: DeviceHistory, b: number, col: (s: SeriesData | undefined, pick?: "avg" | "min" | "max") => Column): ChartSpec[] {
  const out: ChartSpec[] = [];
  const offsetBand = (s: SeriesData | undefined, unit: string): [ChartLine, Column][] => [
    [{ ...line("Offset max", unit, 0, 0, 1), faint: true }, col(s, "max")],
    [{ ...line("Offset min", unit, 0, 0, 1), faint: true }, col(s, "min")],
    [line("Offset", unit, 0, 0), col(s)],
  ];
  const ntpOffset = find(h, "ntp_offset_ms");
  const ntpDelay = find(h, "ntp_delay_ms");
  const stratum = find(h, "ntp_stratum");
  if (ntpOffset !== undefined || ntpDelay !== undefined || stratum !== undefined) {
    const parts = [...offsetBand(ntpOffset, "ms"), [line("Delay", "ms", 0, 2), col(ntpDelay)] as [ChartLine, Column]];
    if (stratum !== undefined) parts.push([line("Stratum", "", 1, 4, 1), col(stratum)]);
    out.push(spec("ntp", "NTP offset and delay", b, parts, [[1, 2]]));
  }
  const ptpOffset = find(h, "ptp_offset_ns");
  const ptpDelay = find(h, "ptp_path_delay_ns");
  if (ptpOffset !== undefined || ptpDelay !== undefined) {
    const parts = [...offsetBand(ptpOffset, "ns"), [line("Mean path delay", "ns", 0, 2), col(ptpDelay)] as [ChartLine, Column]];
    out.push(spec("ptp", "PTP offset from master and path delay", b, parts, [[1, 2]]));
  }
  const gmClass = find(h, "ptp_gm_clock_class");
  const steps = find(h, "ptp_steps_removed");
  if (gmClass !== undefined || steps !== undefined) {
    out.push(
      spec("ptp-gm", "PTP grandmaster class and steps removed", b, [
        [line("Grandmaster clock class", "", 0, 4), col(gmClass)],
        [line("Steps removed", "", 1, 5), col(steps)],
      ]),
    );
  }
  return out;
}

function isMemory(area: string): boolean {
  return /mem|ram|swap/i.test(area);
}

/** Whether a spec has anything to draw. */
export function hasData(s: ChartSpec): boolean {
  return s.data.slice(1).some((col) => col.some((v) => v !== null && v !== undefined));
}
