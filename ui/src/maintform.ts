// The Maintenance screen's pure half: a schedule in words, the form's text to
// a `MaintenanceWindow` and back, the hints the form can give before sending
// (dates and numbers that do not parse, an empty day list), and the service's
// field errors (`schedule.start`, ...) mapped onto the form's inputs. All
// times are UTC: the service stores and evaluates windows in UTC, so the form
// never converts to or from local time. The service's `validate` stays the
// judge of what it accepts.
import type { ApiError, Day, FieldError, MaintenanceWindow, WindowSchedule } from "./generated/bindings";
import { formatUtcDateTime } from "./format";
import { SCOPE_FIELDS, scopeFrom, scopeValuesOf, type ScopeValues } from "./ruleform";

/** Monday first, as the form's day boxes run. */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const satisfies readonly Day[];

export const DAY_LABELS = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
} as const satisfies Record<Day, string>;

export type ScheduleKind = WindowSchedule["kind"];

/** A week, the longest window the service accepts (core's MINUTES_MAX). */
export const MINUTES_MAX = 7 * 24 * 60;

/** The form's inputs, in the order focus goes to the first bad one. */
export const MAINT_FIELDS = [
  "name",
  "kind",
  "onceStart",
  "onceEnd",
  "days",
  "weeklyStart",
  "cronExpr",
  "minutes",
  ...SCOPE_FIELDS,
  "comment",
  "enabled",
] as const;

export interface MaintFormValues extends ScopeValues {
  name: string;
  comment: string;
  enabled: boolean;
  kind: string;
  /** "YYYY-MM-DD HH:MM", UTC. */
  onceStart: string;
  onceEnd: string;
  days: Day[];
  /** "HH:MM", UTC. */
  weeklyStart: string;
  cronExpr: string;
  minutes: string;
}

/** "2026-12-05 01:00" (or with a "T") as a UTC instant; null when it does not read as one. */
export function parseUtc(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (m === null) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Date.UTC rolls 2026-02-30 over to March: refuse what does not round-trip.
  const ok = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60;
  return ok ? t : null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function minutesText(n: number): string {
  return `for ${n} min`;
}

/** "Sat, Sun 02:00 UTC for 120 min", "once 2026-12-05 01:00–03:00 UTC", "cron 0 3 * * 1 (UTC) for 60 min". */
export function scheduleText(s: WindowSchedule): string {
  switch (s.kind) {
    case "once": {
      const start = formatUtcDateTime(new Date(s.start));
      const end = formatUtcDateTime(new Date(s.end));
      // Same day: the end's date would only repeat the start's.
      const sameDay = start.slice(0, 10) === end.slice(0, 10);
      return `once ${start}–${sameDay ? end.slice(11) : end} UTC`;
    }
    case "weekly": {
      const days = DAYS.filter((d) => s.days.includes(d)).map((d) => DAY_LABELS[d]);
      const which = days.length === 7 ? "Every day" : days.join(", ");
      return `${which} ${s.start} UTC ${minutesText(s.minutes)}`;
    }
    case "cron":
      return `cron ${s.expr} (UTC) ${minutesText(s.minutes)}`;
  }
}

export interface ParsedWindow {
  window: MaintenanceWindow;
  /** What the form can tell before sending, by form field. */
  errors: FieldError[];
}

function wholeMinutes(text: string, errors: FieldError[]): number {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > MINUTES_MAX) {
    errors.push({ field: "minutes", message: `must be a whole number of minutes, 1 to ${MINUTES_MAX} (a week)` });
    return 0;
  }
  return n;
}

function schedule(v: MaintFormValues, errors: FieldError[]): WindowSchedule {
  if (v.kind === "weekly") {
    if (v.days.length === 0) errors.push({ field: "days", message: "name at least one day" });
    if (!HHMM.test(v.weeklyStart.trim())) errors.push({ field: "weeklyStart", message: "must be a time of day as HH:MM (UTC)" });
    return { kind: "weekly", days: DAYS.filter((d) => v.days.includes(d)), start: v.weeklyStart.trim(), minutes: wholeMinutes(v.minutes, errors) };
  }
  if (v.kind === "cron") {
    if (v.cronExpr.trim() === "") errors.push({ field: "cronExpr", message: "must not be empty" });
    return { kind: "cron", expr: v.cronExpr.trim(), minutes: wholeMinutes(v.minutes, errors) };
  }
  const start = parseUtc(v.onceStart);
  const end = parseUtc(v.onceEnd);
  const format = "must be a UTC date and time as YYYY-MM-DD HH:MM";
  if (start === null) errors.push({ field: "onceStart", message: format });
  if (end === null) errors.push({ field: "onceEnd", message: format });
  else if (start !== null && end <= start) errors.push({ field: "onceEnd", message: "must be after the start" });
  return { kind: "once", start: start?.toISOString() ?? "", end: end?.toISOString() ?? "" };
}

export function parseMaintForm(v: MaintFormValues): ParsedWindow {
  const errors: FieldError[] = [];
  if (v.name.trim() === "") errors.push({ field: "name", message: "must not be empty" });
  const window: MaintenanceWindow = {
    name: v.name.trim(),
    comment: v.comment.trim(),
    enabled: v.enabled,
    scope: scopeFrom(v),
    schedule: schedule(v, errors),
  };
  const s = window.scope;
  if (!s.all && s.devices.length + s.tags.length + s.sites.length + s.kinds.length + s.templates.length === 0) {
    errors.push({ field: "scope", message: "name at least one device, tag or site, or tick all devices" });
  }
  return { window, errors };
}

/** The form's values for a stored window (Edit); the other kinds' boxes keep sensible starting values. */
export function maintValuesOf(w: MaintenanceWindow): MaintFormValues {
  const s = w.schedule;
  return {
    name: w.name,
    comment: w.comment,
    enabled: w.enabled,
    ...scopeValuesOf(w.scope),
    kind: s.kind,
    onceStart: s.kind === "once" ? formatUtcDateTime(new Date(s.start)) : "",
    onceEnd: s.kind === "once" ? formatUtcDateTime(new Date(s.end)) : "",
    days: s.kind === "weekly" ? [...s.days] : [],
    weeklyStart: s.kind === "weekly" ? s.start : "",
    cronExpr: s.kind === "cron" ? s.expr : "",
    minutes: s.kind === "once" ? "" : String(s.minutes),
  };
}

/** The service's field names in the form's terms: `schedule.start` is the start box of the kind sent. */
export function maintFormErrors(err: ApiError, kind: ScheduleKind, client: readonly FieldError[] = []): ApiError {
  const starts: Record<ScheduleKind, string> = { once: "onceStart", weekly: "weeklyStart", cron: "cronExpr" };
  const names: Record<string, string> = {
    "schedule.start": starts[kind],
    "schedule.end": "onceEnd",
    "schedule.days": "days",
    "schedule.expr": "cronExpr",
    "schedule.minutes": "minutes",
  };
  const fields = [...client];
  for (const f of err.fields) {
    const field = names[f.field] ?? f.field;
    if (!fields.some((c) => c.field === field)) fields.push({ field, message: f.message });
  }
  return { ...err, fields };
}
