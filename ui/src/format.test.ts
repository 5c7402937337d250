import { describe, expect, it } from "vitest";
import {
  formatAgo,
  formatAxisTime,
  formatBitRate,
  formatBytes,
  formatDate,
  formatDateTime,
  formatDayMonth,
  formatDuration,
  formatIsoDateTime,
  formatMs,
  formatPercent,
  formatRate,
  formatSi,
  formatStopwatch,
  formatTime,
  formatUtcDateTime,
  formatValue,
  formatWeekday,
  validLanguage,
} from "./format";

/** ICU puts a narrow no-break space before "AM"; compare with plain spaces. */
const plain = (s: string): string => s.replace(/\s/g, " ");
// Local time, so the assertions hold in every time zone the tests run in.
const MORNING = new Date(2026, 2, 3, 8, 42, 5);
const EVENING = new Date(2026, 2, 3, 20, 5, 0);

describe("times and dates follow the locale", () => {
  it("uses 12-hour time where the locale does (en-US), 24-hour elsewhere", () => {
    expect(plain(formatTime(MORNING, { locale: "en-US" }))).toBe("8:42 AM");
    expect(plain(formatTime(MORNING, { locale: "en-US", seconds: true }))).toBe("8:42:05 AM");
    expect(plain(formatTime(EVENING, { locale: "en-US" }))).toBe("8:05 PM");
    expect(formatTime(MORNING, { locale: "en-GB" })).toBe("08:42");
    expect(formatTime(EVENING, { locale: "en-GB" })).toBe("20:05");
    expect(formatTime(EVENING, { locale: "de-DE" })).toBe("20:05");
    expect(formatTime(MORNING, { locale: "de-DE", seconds: true })).toBe("08:42:05");
  });

  it("writes dates with the month in words, never 12/3/26", () => {
    expect(formatDate(MORNING, "en-US")).toBe("Mar 3, 2026");
    expect(formatDate(MORNING, "en-GB")).toBe("3 Mar 2026");
    expect(plain(formatDateTime(EVENING, { locale: "en-US" }))).toBe("Mar 3, 2026, 8:05 PM");
    expect(formatDateTime(MORNING, { locale: "en-GB" })).toBe("3 Mar 2026, 08:42");
    expect(formatDayMonth(MORNING, "de-DE")).toBe("3. März");
    expect(formatWeekday(MORNING, "en-GB")).toBe("Tue");
  });

  it("writes ISO date-times for tables, whatever the locale", () => {
    expect(formatIsoDateTime(MORNING)).toBe("2026-03-03 08:42");
    expect(formatIsoDateTime(EVENING, { seconds: true })).toBe("2026-03-03 20:05:00");
    expect(formatIsoDateTime(new Date("garbage"))).toBe("—");
    expect(formatTime(new Date(Number.NaN))).toBe("—");
  });

  it("writes UTC date-times whatever the machine's zone", () => {
    expect(formatUtcDateTime(new Date("2026-12-05T01:00:00Z"))).toBe("2026-12-05 01:00");
    expect(formatUtcDateTime(new Date("2026-12-05T01:00:00+05:30"))).toBe("2026-12-04 19:30");
    expect(formatUtcDateTime(new Date("garbage"))).toBe("—");
  });

  it("labels a chart's time axis by its span", () => {
    const sec = EVENING.getTime() / 1000;
    expect(formatAxisTime(sec, 3600, "en-GB")).toBe("20:05");
    expect(formatAxisTime(sec, 3 * 86_400, "en-GB")).toBe("3 Mar 20:05");
    expect(formatAxisTime(sec, 30 * 86_400, "en-GB")).toBe("3 Mar");
  });
});

describe("durations", () => {
  it("gives the two largest units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(5 * 60_000 + 3_000)).toBe("5 min 3 s");
    expect(formatDuration((3 * 3600 + 12 * 60 + 40) * 1000)).toBe("3 h 12 min");
    expect(formatDuration(2 * 3600_000)).toBe("2 h");
    expect(formatDuration((2 * 86_400 + 4 * 3600) * 1000)).toBe("2 d 4 h");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("runs a stopwatch", () => {
    expect(formatStopwatch(65_400)).toBe("1:05");
    expect(formatStopwatch(3_723_000)).toBe("1:02:03");
    expect(formatStopwatch(-1)).toBe("0:00");
  });

  it("says how long ago", () => {
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(formatAgo(null, now)).toBe("never");
    expect(formatAgo("2025-01-01T12:00:00Z", now)).toBe("just now");
    expect(formatAgo("2025-01-01T11:59:30Z", now)).toBe("30 s ago");
    expect(formatAgo("2025-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(formatAgo("2025-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(formatAgo("2024-12-29T12:00:00Z", now)).toBe("3 d ago");
    expect(formatAgo("garbage", now)).toBe("unknown");
  });
});

describe("numbers and units", () => {
  it("formats bit rates with decimal prefixes", () => {
    expect(formatBitRate(0, "en-US")).toBe("0 bit/s");
    expect(formatBitRate(999, "en-US")).toBe("999 bit/s");
    expect(formatBitRate(1_234_567, "en-US")).toBe("1.23 Mbit/s");
    expect(formatBitRate(10_000_000_000, "en-US")).toBe("10 Gbit/s");
    expect(formatBitRate(1_234_567, "de-DE")).toBe("1,23 Mbit/s");
    expect(formatSi(-2500, "", "en-US")).toBe("-2.50 k");
  });

  it("formats plain rates, percentages, milliseconds and bytes", () => {
    expect(formatRate(12, "", "en-US")).toBe("12 /s");
    expect(formatRate(1500, "pkt", "en-US")).toBe("1.50 kpkt/s");
    expect(formatPercent(0, "en-US")).toBe("0 %");
    expect(formatPercent(0.25, "en-US")).toBe("0.25 %");
    expect(formatPercent(2.5, "en-US")).toBe("2.5 %");
    expect(formatPercent(100, "en-US")).toBe("100 %");
    expect(formatPercent(2.5, "de-DE")).toBe("2,5 %");
    expect(formatMs(0.0421, "en-US")).toBe("0.04 ms");
    expect(formatMs(12.34, "en-US")).toBe("12.3 ms");
    expect(formatMs(123.45, "en-US")).toBe("123 ms");
    expect(formatBytes(512, "en-US")).toBe("512 B");
    expect(formatBytes(1536, "en-US")).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 * 1024, "en-US")).toBe("10 MiB");
  });

  it("formats chart values by unit, with a dash for none", () => {
    expect(formatValue(null, "ms")).toBe("—");
    expect(formatValue(Number.NaN, "%")).toBe("—");
    expect(formatValue(0.042, "ms", "en-US")).toBe("0.04 ms");
    expect(formatValue(0.5, "", "en-US")).toBe("0.50");
    expect(formatValue(-1669, "ns", "en-US")).toBe("-1.67 µs");
    expect(formatValue(35, "ns", "en-US")).toBe("35 ns");
    expect(formatValue(2_500_000, "ns", "en-US")).toBe("2.50 ms");
    expect(formatValue(45_000, "ns", "en-US")).toBe("45.0 µs");
    expect(formatValue(2_000_000, "bit/s", "en-US")).toBe("2 Mbit/s");
    expect(formatValue(1500, "pps", "en-US")).toBe("1.50 k pps");
  });

  it("knows which language tags Intl accepts", () => {
    expect(validLanguage("en-GB")).toBe(true);
    expect(validLanguage("C")).toBe(false);
  });
});
