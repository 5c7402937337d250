// The System tab's view model: Meridian's own figures as label/value rows
// (the figures /metrics serves), and its active self-alarms. Pure, so the
// formatting and the fallbacks are tested without a webview.
import type { AlarmSpec, HistoryTier, IntakeFigures, SystemStatus, TierSize } from "./generated/bindings";
import { formatBytes, formatDuration, formatMs, formatNumber, formatPercent } from "./format";

export interface SystemRow {
  /** Stable key (also the row's `data-key`, which the e2e check reads). */
  key: string;
  label: string;
  value: string;
}

const DASH = "—";

function pct(part: number, whole: number): string {
  return whole > 0 ? formatPercent((part * 100) / whole) : DASH;
}

/** The figures in the order the page shows them. */
export function systemRows(s: SystemStatus, locale?: string): SystemRow[] {
  const n = (v: number): string => formatNumber(v, 0, locale);
  const rows: SystemRow[] = [
    { key: "monitor", label: "Monitor", value: s.monitorRunning ? "running" : "not running" },
    { key: "uptime", label: "Monitor uptime", value: s.uptimeSecs === null ? DASH : formatDuration(s.uptimeSecs * 1000) },
    { key: "devices", label: "Devices / poll jobs", value: `${n(s.devices)} / ${n(s.pollJobs)}` },
    { key: "polls", label: "Polls ok / failed", value: `${n(s.pollsOk)} / ${n(s.pollsFailed)} (${pct(s.pollsFailed, s.pollsOk + s.pollsFailed)} failed)` },
    { key: "inflight", label: "Polls in flight", value: n(s.pollsInFlight) },
    { key: "late", label: "Polls started late", value: `${n(s.pollsLate)} of ${n(s.pollsStarted)} (${pct(s.pollsLate, s.pollsStarted)})` },
    { key: "skipped", label: "Ticks skipped", value: n(s.ticksSkipped) },
    { key: "queue", label: "Write queue", value: `${n(s.queueDepth)} / ${n(s.queueCapacity)}` },
    { key: "written", label: "Samples written / dropped", value: `${n(s.samplesWritten)} / ${n(s.samplesDropped)}` },
    { key: "writeErrors", label: "Failed writes", value: n(s.writeErrors) },
    { key: "writer", label: "Writer batch (mean)", value: s.writerBatchMs === null ? DASH : formatMs(s.writerBatchMs, locale) },
    { key: "rules", label: "Rule pass (mean)", value: s.rulePassMs === null ? DASH : formatMs(s.rulePassMs, locale) },
    { key: "store", label: "Store size", value: storeSize(s, locale) },
    { key: "disk", label: "Disk free", value: diskFree(s, locale) },
  ];
  if (s.storeError !== null) rows.push({ key: "storeError", label: "Store error", value: s.storeError });
  if (s.traps !== null) rows.push({ key: "traps", label: "Traps received / stored", value: intake(s.traps, locale) });
  if (s.syslog !== null) rows.push({ key: "syslog", label: "Syslog received / stored", value: intake(s.syslog, locale) });
  return rows;
}

/** "1,200 / 1,180 (20 dropped, 3 refused)": the losses named only when there are some. */
function intake(f: IntakeFigures, locale?: string): string {
  const n = (v: number): string => formatNumber(v, 0, locale);
  const lost = [
    f.dropped > 0 ? `${n(f.dropped)} dropped` : null,
    f.refused > 0 ? `${n(f.refused)} refused` : null,
    f.malformed > 0 ? `${n(f.malformed)} malformed` : null,
  ].filter((x) => x !== null);
  return `${n(f.received)} / ${n(f.stored)}${lost.length > 0 ? ` (${lost.join(", ")})` : ""}`;
}

function storeSize(s: SystemStatus, locale?: string): string {
  const size = formatBytes(s.storeBytes, locale);
  if (s.storeCapBytes === null) return `${size} (no cap set)`;
  return `${size} of ${formatBytes(s.storeCapBytes, locale)} cap (${pct(s.storeBytes, s.storeCapBytes)})`;
}

function diskFree(s: SystemStatus, locale?: string): string {
  if (s.disk === null) return DASH;
  return `${formatBytes(s.disk.freeBytes, locale)} of ${formatBytes(s.disk.totalBytes, locale)} (${pct(s.disk.freeBytes, s.disk.totalBytes)})`;
}

const TIER_NAMES: Record<HistoryTier, string> = { raw: "raw samples", fiveMin: "5-minute tier", hour: "1-hour tier", day: "1-day tier" };

/** One row per history tier: rows and bytes. */
export function tierRows(tiers: TierSize[], locale?: string): SystemRow[] {
  return tiers.map((t) => ({
    key: `tier-${t.tier}`,
    label: TIER_NAMES[t.tier],
    value: `${formatNumber(t.rows, 0, locale)} rows, ${formatBytes(t.bytes, locale)}`,
  }));
}

/** The active self-alarms, most severe first. */
export function selfAlarms(s: SystemStatus): AlarmSpec[] {
  const order = ["critical", "major", "minor", "warning", "indeterminate", "cleared"];
  return [...s.selfAlarms].sort((a, b) => order.indexOf(a.perceivedSeverity) - order.indexOf(b.perceivedSeverity));
}
