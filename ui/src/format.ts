// Every time, date, duration, rate, percentage and size the UI shows is
// formatted here, so screens read alike: the user's locale through Intl
// (12- or 24-hour as the locale says; the hour cycle is never forced), ISO
// "YYYY-MM-DD HH:mm" in tables where rows must line up and sort by eye, and
// one rule per unit. Every function takes an optional locale so tests can pin
// one; without it the UI's locale (navigator.language) applies.

/**
 * Whether `tag` is a language Intl accepts. WebKitGTK reports the POSIX
 * locale's "C" as navigator.language when LANG is unset, and Intl rejects it.
 */
export function validLanguage(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** The UI's locale: navigator.language when Intl accepts it, else Intl's default. */
export function uiLocale(): string | undefined {
  const tag = typeof navigator === "undefined" ? undefined : navigator.language;
  return tag !== undefined && validLanguage(tag) ? tag : undefined;
}

/** Intl formatters are costly to build and the UI formats on every poll: one per locale and options. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(locale: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ""}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (f === undefined) cache.set(key, (f = new Intl.DateTimeFormat(locale ?? uiLocale(), opts)));
  return f as Intl.DateTimeFormat;
}
function numberFormat(locale: string | undefined, digits: number): Intl.NumberFormat {
  const key = `n|${locale ?? ""}|${digits}`;
  let f = cache.get(key);
  if (f === undefined) {
    f = new Intl.NumberFormat(locale ?? uiLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    cache.set(key, f);
  }
  return f as Intl.NumberFormat;
}

export const DASH = "—";

function valid(d: Date): boolean {
  return Number.isFinite(d.getTime());
}

export interface TimeOptions {
  seconds?: boolean;
  locale?: string | undefined;
}

/**
 * "8:42 AM" (en-US), "08:42" (en-GB, de-DE); with seconds on request. The
 * locale's own short/medium time style, so its hour cycle and padding apply.
 */
export function formatTime(d: Date, o: TimeOptions = {}): string {
  if (!valid(d)) return DASH;
  return dateFormat(o.locale, { timeStyle: o.seconds === true ? "medium" : "short" }).format(d);
}

/** "Mar 3, 2026" (en-US), "3 Mar 2026" (en-GB): the month in words, never "12/3/26". */
export function formatDate(d: Date, locale?: string): string {
  return valid(d) ? dateFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(d) : DASH;
}

/** "Mar 3, 2026, 8:42 AM" / "3 Mar 2026, 08:42": a moment in prose (ranges, lists). */
export function formatDateTime(d: Date, o: TimeOptions = {}): string {
  if (!valid(d)) return DASH;
  return dateFormat(o.locale, { dateStyle: "medium", timeStyle: o.seconds === true ? "medium" : "short" }).format(d);
}

/** "Mar 3" / "3 Mar": a day this year, where the context gives the year. */
export function formatDayMonth(d: Date, locale?: string): string {
  return valid(d) ? dateFormat(locale, { month: "short", day: "numeric" }).format(d) : DASH;
}

/** "Wed" / "Mi.": the weekday, for a moment later this week. */
export function formatWeekday(d: Date, locale?: string): string {
  return valid(d) ? dateFormat(locale, { weekday: "short" }).format(d) : DASH;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** "2026-03-03 08:42" in local time, for tables: same width on every row and every locale. */
export function formatIsoDateTime(d: Date, o: { seconds?: boolean } = {}): string {
  if (!valid(d)) return DASH;
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}${o.seconds === true ? `:${pad2(d.getSeconds())}` : ""}`;
  return `${date} ${time}`;
}

/** "2026-12-05 01:00" in UTC, for what is entered and stored in UTC (maintenance windows). */
export function formatUtcDateTime(d: Date): string {
  if (!valid(d)) return DASH;
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** "3 h 12 min", "5 min 3 s", "45 s", "2 d 4 h": the two largest units; never negative. */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const units: [number, string][] = [
    [86_400, "d"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  const i = units.findIndex(([size]) => total >= size);
  if (i < 0) return "0 s";
  const [size, name] = units[i] ?? [1, "s"];
  const first = `${Math.floor(total / size)} ${name}`;
  const next = units[i + 1];
  if (next === undefined) return first;
  const rest = Math.floor((total % size) / next[0]);
  return rest === 0 ? first : `${first} ${rest} ${next[1]}`;
}

/** A running clock: "1:05", or "1:02:03" past an hour. */
export function formatStopwatch(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = pad2(total % 60);
  return h > 0 ? `${h}:${pad2(m)}:${s}` : `${m}:${s}`;
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago"; "never" for null; "just now" under a second or in the future. */
export function formatAgo(iso: string | null, nowMs: number): string {
  if (iso === null) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "unknown";
  const s = Math.floor((nowMs - t) / 1000);
  if (s < 1) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A number with `digits` decimals in the locale's digits and separators. */
export function formatNumber(v: number, digits = 0, locale?: string): string {
  return Number.isFinite(v) ? numberFormat(locale, digits).format(v) : DASH;
}

/** 1234567 → "1.23 M" + unit (decimal prefixes, as interface speeds and rates are quoted). */
export function formatSi(v: number, unit: string, locale?: string): string {
  if (!Number.isFinite(v)) return DASH;
  const prefixes = ["", "k", "M", "G", "T", "P"];
  let i = 0;
  let x = Math.abs(v);
  while (x >= 1000 && i < prefixes.length - 1) {
    x /= 1000;
    i++;
  }
  const digits = Number.isInteger(x) ? 0 : x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return `${v < 0 ? "-" : ""}${formatNumber(x, digits, locale)} ${prefixes[i] ?? ""}${unit}`.trim();
}

/** "0 bit/s", "999 bit/s", "1.23 Mbit/s", "10 Gbit/s". */
export function formatBitRate(bps: number, locale?: string): string {
  return formatSi(bps, "bit/s", locale);
}

/** A plain rate of anything per second: "12 /s", "1.5 k/s" (or with a unit: "1.5 kpkt/s"). */
export function formatRate(perSecond: number, unit = "", locale?: string): string {
  return formatSi(perSecond, `${unit}/s`, locale);
}

/** "0 %", "0.25 %", "2.5 %", "42 %": more decimals only where they say something. */
export function formatPercent(v: number, locale?: string): string {
  if (!Number.isFinite(v)) return DASH;
  const a = Math.abs(v);
  return `${formatNumber(v, v === 0 || a >= 10 ? 0 : a < 1 ? 2 : 1, locale)} %`;
}

/** "0.04 ms", "12.3 ms", "123 ms": round-trip times and other milliseconds. */
export function formatMs(v: number, locale?: string): string {
  if (!Number.isFinite(v)) return DASH;
  return `${formatNumber(v, v < 10 ? 2 : v < 100 ? 1 : 0, locale)} ms`;
}

/** PTP offsets and delays: nanoseconds up to 1 µs, then µs, ms and s, sign kept. */
export function formatNs(v: number, locale?: string): string {
  if (!Number.isFinite(v)) return DASH;
  const units: [number, string][] = [
    [1e9, "s"],
    [1e6, "ms"],
    [1e3, "µs"],
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(v) >= s) ?? [1, "ns"];
  const x = v / scale;
  const a = Math.abs(x);
  return `${formatNumber(x, a < 10 && scale > 1 ? 2 : a < 100 && scale > 1 ? 1 : 0, locale)} ${unit}`;
}

/** Seconds in the unit that reads best, three significant digits, for taus and wander values: "52.5 ns", "1.50 µs", "16 s". */
export function formatSeconds(v: number, locale?: string): string {
  if (!Number.isFinite(v)) return DASH;
  if (v === 0) return "0 s";
  const units: [number, string][] = [
    [1, "s"],
    [1e-3, "ms"],
    [1e-6, "µs"],
    [1e-9, "ns"],
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(v) >= s) ?? [1e-12, "ps"];
  const x = v / scale;
  const a = Math.abs(x);
  const digits = Number.isInteger(x) || a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return `${formatNumber(x, digits, locale)} ${unit}`;
}

/** "512 B", "1.5 KiB", "10 MiB": sizes of files and memory, binary prefixes. */
export function formatBytes(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return DASH;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let x = Math.abs(n);
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  const digits = i === 0 || Number.isInteger(x) ? 0 : x >= 100 ? 0 : 1;
  return `${n < 0 ? "-" : ""}${formatNumber(x, digits, locale)} ${units[i] ?? "B"}`;
}

/** A value with its chart unit, compact enough for an axis or a legend. */
export function formatValue(v: number | null | undefined, unit: string, locale?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  switch (unit) {
    case "bit/s":
      return formatBitRate(v, locale);
    case "%":
      return formatPercent(v, locale);
    case "ms":
      return formatMs(v, locale);
    case "ns":
      return formatNs(v, locale);
    case "":
      return formatNumber(v, 2, locale);
    default:
      return `${formatSi(v, "", locale)} ${unit}`.trim();
  }
}

/**
 * Time-axis labels for a chart spanning `spanSec`: times within a day,
 * date and time within a week, dates beyond.
 */
export function formatAxisTime(sec: number, spanSec: number, locale?: string): string {
  const d = new Date(sec * 1000);
  if (spanSec <= 86_400) return formatTime(d, { locale });
  if (spanSec <= 7 * 86_400) return `${formatDayMonth(d, locale)} ${formatTime(d, { locale })}`;
  return formatDayMonth(d, locale);
}
