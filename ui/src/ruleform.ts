// The rule editor's pure half: a form's values to a `Rule` (with the numbers
// that do not parse as field errors of their own), the service's field
// errors mapped onto the form's inputs (`levels[1].clear` is the clear box
// of the second level sent), and the summaries the rules list shows. The
// rules themselves are checked by the service (`Rule::validate` through
// `put_rule`/`preview_rule`), never here.
import type { ApiError, BuiltinMetric, FieldError, Level, Rule, RuleScope, Severity } from "./generated/bindings";
import { formatNumber } from "./format";

/** Every built-in metric, with what it measures (typed: a new one fails to compile until named here). */
export const METRIC_LABELS = {
  rtt_ms: "Ping round trip (ms)",
  jitter_ms: "Ping jitter (ms)",
  loss_pct: "Ping loss (%)",
  if_in_bps: "Interface traffic in (bit/s)",
  if_out_bps: "Interface traffic out (bit/s)",
  if_in_util_pct: "Interface utilisation in (% of speed)",
  if_out_util_pct: "Interface utilisation out (% of speed)",
  if_in_errors: "Interface errors in (/s)",
  if_out_errors: "Interface errors out (/s)",
  if_in_discards: "Interface discards in (/s)",
  if_out_discards: "Interface discards out (/s)",
  cpu_pct: "CPU load (%)",
  load1: "Load average (1 min)",
  storage_used_pct: "Storage used (%)",
  ntp_offset_ms: "NTP offset (ms)",
  ntp_delay_ms: "NTP delay (ms)",
  ntp_stratum: "NTP stratum",
  ntp_reach: "NTP reach register (0: the last eight polls unanswered)",
  ptp_offset_ns: "PTP offset from master (ns)",
  ptp_path_delay_ns: "PTP mean path delay (ns)",
  ptp_steps_removed: "PTP steps removed",
  ptp_gm_clock_class: "PTP grandmaster clock class",
  synce_ql: "SyncE quality level (CISCO-NETSYNC-MIB number: 22 PRC, 25 SEC, 2 DNU ...)",
} as const satisfies Record<BuiltinMetric, string>;

/** The severities a rule level may have, worst first: one row of the form each. */
export const LEVEL_SEVERITIES = ["critical", "major", "minor", "warning"] as const satisfies readonly Severity[];

/** The scope boxes' names (listscreen.ts scopeFields), then the scope's own message. */
export const SCOPE_FIELDS = ["scopeAll", "devices", "tags", "sites", "kinds", "templates", "scope"] as const;

/** The form's inputs, in the order focus goes to the first bad one. */
export const RULE_FIELDS = [
  "name",
  "metric",
  "instance",
  "comparison",
  ...LEVEL_SEVERITIES.flatMap((s) => [`raise-${s}`, `clear-${s}`]),
  "levels",
  "raiseAfter",
  "clearAfter",
  "noDataIntervals",
  ...SCOPE_FIELDS,
  "enabled",
] as const;

/** What the form holds, as text (checkboxes as booleans). */
export interface RuleFormValues {
  name: string;
  metric: string;
  instance: string;
  comparison: string;
  /** By severity: the raise and clear boxes. */
  levels: Partial<Record<(typeof LEVEL_SEVERITIES)[number], { raise: string; clear: string }>>;
  raiseAfter: string;
  clearAfter: string;
  noDataIntervals: string;
  scopeAll: boolean;
  devices: string;
  tags: string;
  sites: string;
  kinds: string;
  templates: string;
  enabled: boolean;
}

export interface ParsedRule {
  /** The rule as far as it parses: rows with a bad number are left out, bad counts default. */
  rule: Rule;
  /** Numbers that did not parse, by form field. */
  errors: FieldError[];
  /** The severity of each level sent, in order, to map `levels[i]` errors back. */
  order: Severity[];
}

/** A comma-separated box as its entries, blanks dropped. */
export function list(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

function number(text: string): number | null | "bad" {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : "bad";
}

function count(field: string, text: string, errors: FieldError[]): number | null | "bad" {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0) {
    errors.push({ field, message: "must be a whole number" });
    return "bad";
  }
  return n;
}

export function parseRuleForm(v: RuleFormValues, overrides: Rule["overrides"] = []): ParsedRule {
  const errors: FieldError[] = [];
  const levels: Level[] = [];
  const order: Severity[] = [];
  for (const s of LEVEL_SEVERITIES) {
    const row = v.levels[s];
    if (row === undefined) continue;
    const raise = number(row.raise);
    const clear = number(row.clear);
    if (raise === "bad") errors.push({ field: `raise-${s}`, message: "must be a number" });
    if (clear === "bad") errors.push({ field: `clear-${s}`, message: "must be a number" });
    if (raise === null && clear !== null && clear !== "bad") errors.push({ field: `raise-${s}`, message: "give the raise value too" });
    if (raise === null || raise === "bad" || clear === "bad") continue;
    levels.push({ severity: s, raise, clear });
    order.push(s);
  }
  const raiseAfter = count("raiseAfter", v.raiseAfter, errors);
  const clearAfter = count("clearAfter", v.clearAfter, errors);
  const noData = count("noDataIntervals", v.noDataIntervals, errors);
  const scope = scopeFrom(v);
  const rule: Rule = {
    name: v.name.trim(),
    enabled: v.enabled,
    metric: v.metric.trim(),
    instance: v.instance.trim() === "" ? null : v.instance.trim(),
    comparison: v.comparison === "below" ? "below" : "above",
    levels,
    raiseAfter: { samples: typeof raiseAfter === "number" ? raiseAfter : 1 },
    clearAfter: { samples: typeof clearAfter === "number" ? clearAfter : 1 },
    noDataIntervals: typeof noData === "number" ? noData : null,
    scope,
    overrides,
  };
  return { rule, errors, order };
}

/**
 * The service's field errors in the form's terms: `levels[i]` and
 * `levels[i].clear` name the row of the i-th level sent; errors about the
 * levels as a whole stay on `levels`. With client errors present, the
 * service's "levels" complaints about rows left out are dropped.
 */
export function formErrors(err: ApiError, order: readonly Severity[], client: readonly FieldError[] = []): ApiError {
  const rowsLeftOut = client.some((f) => /^(raise|clear)-/.test(f.field));
  const fields: FieldError[] = [...client];
  for (const f of err.fields) {
    const m = /^levels\[(\d+)\](\.clear)?$/.exec(f.field);
    const sev = m === null ? undefined : order[Number(m[1])];
    if (m !== null && sev !== undefined) fields.push({ field: `${m[2] === undefined ? "raise" : "clear"}-${sev}`, message: f.message });
    else if (f.field === "levels" && rowsLeftOut) continue;
    else fields.push(f);
  }
  return { ...err, fields };
}

/** The scope boxes every scoped form has (rules, maintenance windows). */
export type ScopeValues = Pick<RuleFormValues, "scopeAll" | "devices" | "tags" | "sites" | "kinds" | "templates">;

export function scopeFrom(v: ScopeValues): RuleScope {
  return {
    all: v.scopeAll,
    devices: list(v.devices),
    tags: list(v.tags),
    sites: list(v.sites),
    kinds: list(v.kinds) as RuleScope["kinds"],
    templates: list(v.templates),
  };
}

export function scopeValuesOf(s: RuleScope): ScopeValues {
  return {
    scopeAll: s.all,
    devices: s.devices.join(", "),
    tags: s.tags.join(", "),
    sites: s.sites.join(", "),
    kinds: s.kinds.join(", "),
    templates: s.templates.join(", "),
  };
}

/** The form's values for an existing rule (Edit). */
export function formValuesOf(r: Rule): RuleFormValues {
  const levels: RuleFormValues["levels"] = {};
  for (const l of r.levels) {
    if ((LEVEL_SEVERITIES as readonly string[]).includes(l.severity)) {
      levels[l.severity as (typeof LEVEL_SEVERITIES)[number]] = { raise: String(l.raise), clear: l.clear === null ? "" : String(l.clear) };
    }
  }
  return {
    name: r.name,
    metric: r.metric,
    instance: r.instance ?? "",
    comparison: r.comparison,
    levels,
    raiseAfter: String(r.raiseAfter.samples),
    clearAfter: String(r.clearAfter.samples),
    noDataIntervals: r.noDataIntervals === null ? "" : String(r.noDataIntervals),
    ...scopeValuesOf(r.scope),
    enabled: r.enabled,
  };
}

/** A threshold as typed: "80", "0.5", without padding zeros. */
function threshold(v: number): string {
  return formatNumber(v, Number.isInteger(v) ? 0 : 2);
}

/** "major > 90 (clear 80) · critical > 95", worst last as thresholds climb. */
export function levelsText(r: Rule): string {
  const op = r.comparison === "below" ? "<" : ">";
  return [...r.levels]
    .sort((a, b) => (r.comparison === "below" ? b.raise - a.raise : a.raise - b.raise))
    .map((l) => `${l.severity} ${op} ${threshold(l.raise)}${l.clear !== null && l.clear !== l.raise ? ` (clear ${threshold(l.clear)})` : ""}`)
    .join(" · ");
}

/** "all devices", or "tags core, edge · site Berlin". */
export function scopeText(s: RuleScope): string {
  if (s.all) return "all devices";
  const parts: [string, readonly string[]][] = [
    ["device", s.devices],
    ["tag", s.tags],
    ["site", s.sites],
    ["kind", s.kinds],
    ["template", s.templates],
  ];
  return parts
    .filter(([, v]) => v.length > 0)
    .map(([k, v]) => `${k}${v.length > 1 ? "s" : ""} ${v.join(", ")}`)
    .join(" · ");
}
