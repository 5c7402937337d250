// The Events screen's pure half: stored traps and syslog messages as one
// kind of row, merged newest first, and the filters. Syslog is filtered by
// the service (`searchSyslog`: full-text words, device, severity, so its GIN
// index does the work); traps have no search command, so the newest ones are
// fetched and filtered here by name, OID and varbind text. Every string in a
// row came from a device and is only ever bound as text (eventlist.ts).
import type { DeviceId, SyslogEntry, SyslogQuery, SyslogSeverity, TrapEvent } from "./generated/bindings";

/** What the kind filter offers. */
export type KindFilter = "both" | "traps" | "syslog";

/** What a row is: a trap, an inform, a syslog message, or bytes that did not decode (either receiver). */
export type EventKind = "trap" | "inform" | "syslog" | "malformed";

/** Worst first, as RFC 5424 numbers them (0 emergency .. 7 debug). */
export const SYSLOG_SEVERITIES = [
  "emergency",
  "alert",
  "critical",
  "error",
  "warning",
  "notice",
  "info",
  "debug",
] as const satisfies readonly SyslogSeverity[];

export interface EventFilter {
  kind: KindFilter;
  /** Words; for syslog the service's full-text search, for traps a case-insensitive substring of each word. */
  text: string;
  device: DeviceId | null;
  /** Syslog only: this severity or worse. Traps carry no severity and are not filtered by it. */
  severity: SyslogSeverity | null;
}

export const NO_FILTER: EventFilter = { kind: "both", text: "", device: null, severity: null };

export interface EventRow {
  /** Unique across both sources: `trap-<id>` or `syslog-<id>`. */
  key: string;
  receivedAt: string;
  /** For sorting: milliseconds since the epoch (NaN sorts last). */
  at: number;
  source: string;
  deviceId: DeviceId | null;
  deviceName: string | null;
  kind: EventKind;
  /** Syslog: its severity, if it had one. */
  severity: SyslogSeverity | null;
  /** Traps: the notification's name (or OID); syslog: the app. */
  what: string;
  /** The notification OID, shown beside a name. */
  oid: string | null;
  /** The full text: the syslog message, or a trap's varbinds one `name = value` a line. */
  text: string;
}

/** Longest text shown in the table cell; the rest is in the row's details. */
export const SHORT_TEXT = 160;

/** `ifOperStatus.2 = down(2)`: the name (the OID when no MIB names it) and the value as its MIB shows it, else raw. */
export function varbindLine(v: TrapEvent["varbinds"][number]): string {
  return `${v.name ?? v.oid} = ${v.display ?? v.value}`;
}

/** sysUpTime.0 and snmpTrapOID.0: every v2 notification starts with them, and the row shows the trap's name already. */
const HEADER_VARBINDS = new Set(["1.3.6.1.2.1.1.3.0", "1.3.6.1.6.3.1.1.4.1.0"]);

/** A trap's own varbinds one to a line; a malformed datagram's reason and bytes. */
export function trapText(t: TrapEvent): string {
  if (t.pdu === "malformed") return [t.error ?? "malformed", t.rawHex ?? ""].filter((s) => s !== "").join("\n");
  return t.varbinds
    .filter((v) => !HEADER_VARBINDS.has(v.oid.replace(/^\./, "")))
    .map(varbindLine)
    .join("\n");
}

export function trapRow(t: TrapEvent): EventRow {
  return {
    key: `trap-${t.id}`,
    receivedAt: t.receivedAt,
    at: Date.parse(t.receivedAt),
    source: t.sourceAddr,
    deviceId: t.deviceId,
    deviceName: t.deviceName,
    kind: t.pdu === "malformed" ? "malformed" : t.pdu,
    severity: null,
    what: t.trapName ?? t.trapOid ?? "",
    oid: t.trapOid,
    text: trapText(t),
  };
}

export function syslogRow(s: SyslogEntry): EventRow {
  const text = s.format === "malformed" && s.error !== null ? `${s.error}\n${s.message}` : s.message;
  return {
    key: `syslog-${s.id}`,
    receivedAt: s.receivedAt,
    at: Date.parse(s.receivedAt),
    source: s.source,
    deviceId: s.deviceId,
    deviceName: s.deviceName,
    kind: s.format === "malformed" ? "malformed" : "syslog",
    severity: s.severity,
    what: s.app ?? "",
    oid: null,
    text,
  };
}

/** The first line, cut at `max` characters with an ellipsis; `full` says whether anything was left out. */
export function shorten(text: string, max = SHORT_TEXT): { short: string; cut: boolean } {
  const oneLine = text.replace(/\s*\n\s*/g, "; ");
  if (oneLine.length <= max && !text.includes("\n")) return { short: oneLine, cut: false };
  if (oneLine.length <= max) return { short: oneLine, cut: true };
  return { short: `${oneLine.slice(0, max - 1)}…`, cut: true };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
}

/** Whether a trap passes the filter: every word somewhere in its name, OID, varbinds, source or device. */
export function trapMatches(t: TrapEvent, f: EventFilter): boolean {
  if (f.device !== null && t.deviceId !== f.device) return false;
  const want = words(f.text);
  if (want.length === 0) return true;
  const hay = [t.trapName, t.trapOid, t.sourceAddr, t.deviceName, t.error, ...t.varbinds.flatMap((v) => [v.name, v.oid, v.value])]
    .filter((s): s is string => s !== null)
    .join("\n")
    .toLowerCase();
  return want.every((w) => hay.includes(w));
}

/** The service's query for the syslog half. */
export function syslogQuery(f: EventFilter, limit: number): SyslogQuery {
  const text = f.text.trim();
  return { text: text === "" ? null : text, device: f.device, severity: f.severity, since: null, until: null, limit };
}

/** Both halves as one list, newest first (ties: syslog after traps, then by key), at most `limit` rows. */
export function mergeEvents(
  traps: readonly TrapEvent[],
  syslog: readonly SyslogEntry[],
  f: EventFilter,
  limit: number,
): EventRow[] {
  const rows: EventRow[] = [];
  if (f.kind !== "syslog") rows.push(...traps.filter((t) => trapMatches(t, f)).map(trapRow));
  if (f.kind !== "traps") rows.push(...syslog.map(syslogRow));
  const at = (r: EventRow): number => (Number.isNaN(r.at) ? -Infinity : r.at);
  rows.sort((a, b) => at(b) - at(a) || a.key.localeCompare(b.key));
  return rows.slice(0, limit);
}

/** The filter as the form holds it (select values as text). */
export function filterFrom(v: { kind: string; text: string; device: string; severity: string }): EventFilter {
  const kind: KindFilter = v.kind === "traps" || v.kind === "syslog" ? v.kind : "both";
  const severity = (SYSLOG_SEVERITIES as readonly string[]).includes(v.severity) ? (v.severity as SyslogSeverity) : null;
  return { kind, text: v.text, device: v.device === "" ? null : v.device, severity };
}
