// The event-rule editor's pure half: the form's text to an `EventRule` and
// back, the service's field errors (`raise.pattern`, `clear.oid`, ...) mapped
// onto the form's inputs, and a rule's raise and clear in words for the
// list. The service's `event_rule::validate` judges the rule (regexes,
// OIDs, names); the form only shapes what it sends.
import type { ApiError, EventMatch, EventRule, FieldError, Severity, SyslogSeverity, VarbindMatch } from "./generated/bindings";
import { SYSLOG_SEVERITIES } from "./eventmodel";
import { list, SCOPE_FIELDS, scopeFrom, scopeValuesOf, type ScopeValues } from "./ruleform";

export type EventRuleKind = EventMatch["kind"];

/** The alarm severities an event rule may raise. */
export const EVENT_RULE_SEVERITIES = ["critical", "major", "minor", "warning"] as const satisfies readonly Severity[];

/** The form's inputs, in the order focus goes to the first bad one. */
export const EVENT_RULE_FIELDS = [
  "name",
  "kind",
  "severity",
  "app",
  "minSeverity",
  "pattern",
  "clearPattern",
  "oid",
  "varbinds",
  "keyVarbind",
  "clearOid",
  "raise",
  ...SCOPE_FIELDS,
  "enabled",
] as const;

export interface EventRuleFormValues extends ScopeValues {
  name: string;
  enabled: boolean;
  kind: string;
  severity: string;
  // Syslog rules.
  app: string;
  minSeverity: string;
  pattern: string;
  clearPattern: string;
  // Trap rules.
  oid: string;
  /** `name=value`, comma-separated. */
  varbinds: string;
  keyVarbind: string;
  clearOid: string;
}

export interface ParsedEventRule {
  rule: EventRule;
  /** What the form can tell before sending, by form field. */
  errors: FieldError[];
}

function optional(text: string): string | null {
  const t = text.trim();
  return t === "" ? null : t;
}

function varbindsFrom(text: string, errors: FieldError[]): VarbindMatch[] {
  const out: VarbindMatch[] = [];
  for (const item of list(text)) {
    const eq = item.indexOf("=");
    if (eq <= 0) {
      errors.push({ field: "varbinds", message: `“${item}” is not name=value` });
      continue;
    }
    out.push({ name: item.slice(0, eq).trim(), value: item.slice(eq + 1).trim() });
  }
  return out;
}

export function parseEventRuleForm(v: EventRuleFormValues): ParsedEventRule {
  const errors: FieldError[] = [];
  const kind: EventRuleKind = v.kind === "trap" ? "trap" : "syslog";
  const severity = (EVENT_RULE_SEVERITIES as readonly string[]).includes(v.severity) ? (v.severity as Severity) : "major";
  let raise: EventMatch;
  let clear: EventMatch | null;
  if (kind === "syslog") {
    const app = optional(v.app);
    const min = (SYSLOG_SEVERITIES as readonly string[]).includes(v.minSeverity) ? (v.minSeverity as SyslogSeverity) : null;
    raise = { kind: "syslog", severity: min, app, pattern: optional(v.pattern) };
    // The clear line comes from the same app; its severity is whatever the "up" line has.
    const clearPattern = optional(v.clearPattern);
    clear = clearPattern === null ? null : { kind: "syslog", severity: null, app, pattern: clearPattern };
  } else {
    raise = { kind: "trap", oid: v.oid.trim(), varbinds: varbindsFrom(v.varbinds, errors) };
    const clearOid = optional(v.clearOid);
    clear = clearOid === null ? null : { kind: "trap", oid: clearOid, varbinds: [] };
  }
  const rule: EventRule = {
    name: v.name.trim(),
    enabled: v.enabled,
    severity,
    scope: scopeFrom(v),
    raise,
    clear,
    keyVarbind: kind === "trap" ? optional(v.keyVarbind) : null,
  };
  return { rule, errors };
}

/** The form's values for a stored rule (Edit). */
export function eventRuleValuesOf(r: EventRule): EventRuleFormValues {
  const base = {
    name: r.name,
    enabled: r.enabled,
    kind: r.raise.kind,
    severity: r.severity,
    ...scopeValuesOf(r.scope),
    app: "",
    minSeverity: "",
    pattern: "",
    clearPattern: "",
    oid: "",
    varbinds: "",
    keyVarbind: r.keyVarbind ?? "",
    clearOid: "",
  };
  if (r.raise.kind === "syslog") {
    const clear = r.clear?.kind === "syslog" ? r.clear.pattern ?? "" : "";
    return { ...base, app: r.raise.app ?? "", minSeverity: r.raise.severity ?? "", pattern: r.raise.pattern ?? "", clearPattern: clear };
  }
  return {
    ...base,
    oid: r.raise.oid,
    varbinds: r.raise.varbinds.map((m) => `${m.name}=${m.value}`).join(", "),
    clearOid: r.clear?.kind === "trap" ? r.clear.oid : "",
  };
}

/** The service's names in the form's terms: `raise.pattern` is the pattern box, `clear.oid` the clear OID. */
export function eventRuleFormErrors(err: ApiError, kind: EventRuleKind, client: readonly FieldError[] = []): ApiError {
  const names: Record<string, string> = {
    "raise.oid": "oid",
    "raise.pattern": "pattern",
    "clear.pattern": "clearPattern",
    "clear.oid": "clearOid",
    clear: kind === "syslog" ? "clearPattern" : "clearOid",
  };
  const fields = [...client];
  for (const f of err.fields) {
    const field = /^raise\.varbinds\[\d+\]/.test(f.field) ? "varbinds" : names[f.field] ?? f.field;
    if (!fields.some((c) => c.field === field && c.message === f.message)) fields.push({ field, message: f.message });
  }
  return { ...err, fields };
}

function matchText(m: EventMatch): string {
  if (m.kind === "trap") {
    const vbs = m.varbinds.map((v) => `${v.name} = ${v.value}`).join(", ");
    return `trap ${m.oid}${vbs === "" ? "" : ` with ${vbs}`}`;
  }
  const parts = [`syslog ${m.severity === null ? "of any severity" : `${m.severity} or worse`}`];
  if (m.app !== null) parts.push(`from ${m.app}`);
  if (m.pattern !== null) parts.push(`matching /${m.pattern}/`);
  return parts.join(" ");
}

/** "Raised by syslog error or worse from bgpd matching /Down/; cleared by …", keyed when it says by what. */
export function raiseClearText(r: EventRule): string {
  const key = r.keyVarbind !== null ? `, one alarm per ${r.keyVarbind}` : r.raise.kind === "syslog" && r.raise.pattern?.includes("(?P<key>") === true ? ", one alarm per key" : "";
  const clear = r.clear === null ? "cleared by hand" : `cleared by ${matchText(r.clear)}`;
  return `Raised by ${matchText(r.raise)}${key}; ${clear}`;
}
