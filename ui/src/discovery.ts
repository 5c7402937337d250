// The discovery dialog's rules, without a DOM: form values to a request, a
// run's progress and results to text and rows, and which rows can be picked.
// The dialog itself (discovery-dialog.ts) only moves these to and from the page.
import type {
  ApiError,
  CoreEvent,
  DeviceId,
  DiscoveryMode,
  DiscoveryProgress,
  DiscoveryRequest,
  DiscoveryRun,
  DiscoveryRunId,
  FieldError,
  FoundDevice,
  IdentityMatch,
} from "./generated/bindings";
import { formatPercent, formatStopwatch } from "./format";
import { fieldMessages, parseTags } from "./inventory";

/** The request as it goes over IPC (the generated type, timeout as a plain number). */
export type DiscoveryRequestJson = DiscoveryRequest;

export interface DiscoveryFormValues {
  targets: string;
  /** Names of the ticked saved credentials, in list order. */
  credentials: string[];
  /** The ad-hoc community fields as typed, blanks included. */
  communities: string[];
  mode: string;
  snmpWithoutPing: boolean;
  port: string;
  force: boolean;
  /** The site of the devices the run adds; "" for none. */
  site: string;
  /** Comma-separated tags of the devices the run adds. */
  tags: string;
}

/** How sure the classification is, in a word: high from 0.8, medium from 0.5, else low. */
export function confidenceWord(c: number): "high" | "medium" | "low" {
  if (c >= 0.8) return "high";
  return c >= 0.5 ? "medium" : "low";
}

/** The dialog's inputs; service errors for other fields show under the form. */
export const FORM_FIELDS = ["targets", "credentials", "communities", "mode", "port", "force", "site", "tags"] as const;

const MODES: readonly DiscoveryMode[] = ["icmpThenSnmp", "icmpOnly", "snmpOnly"];
/** Same defaults as `DiscoveryRequest::default()` in meridian-core. */
const TIMEOUT_MS = 1000;
const RETRIES = 1;

/**
 * Targets from the textarea: one per line or comma-separated. Spaces around
 * a range's dash are closed up, so "10.0.0.1 - 10.0.0.9" stays one target.
 */
export function splitTargets(text: string): string[] {
  return text
    .replace(/\s*-\s*/g, "-")
    .split(/[\s,;]+/)
    .filter((t) => t !== "");
}

/**
 * The request and the run's ad-hoc communities, or the fields that are
 * wrong before asking the service (which checks everything again).
 */
export function requestFromForm(
  v: DiscoveryFormValues,
): { request: DiscoveryRequestJson; communities: string[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const targets = splitTargets(v.targets);
  if (targets.length === 0) errors.push({ field: "targets", message: "give at least one CIDR, range or address" });
  const mode = MODES.find((m) => m === v.mode);
  if (mode === undefined) errors.push({ field: "mode", message: "choose how to probe" });
  const portText = v.port.trim();
  const port = portText === "" ? 161 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push({ field: "port", message: "must be 1 to 65535" });
  const communities = v.communities.filter((c) => c !== "");
  if (mode !== undefined && mode !== "icmpOnly" && v.credentials.length + communities.length === 0) {
    errors.push({ field: "credentials", message: "tick a saved credential or type a community, or choose ICMP only" });
  }
  if (errors.length > 0 || mode === undefined) return { errors };
  return {
    request: {
      targets,
      credentials: [...v.credentials],
      mode,
      snmpWithoutPing: mode === "icmpThenSnmp" && v.snmpWithoutPing,
      port,
      force: v.force,
      timeoutMs: TIMEOUT_MS,
      retries: RETRIES,
      site: v.site.trim() === "" ? null : v.site,
      tags: parseTags(v.tags),
    },
    communities,
  };
}

/** Service errors by dialog field: the service calls an ad-hoc community `community`. */
export function discoveryFieldMessages(err: ApiError): Map<string, string[]> {
  const fields = err.fields.map((f) => (f.field === "community" ? { ...f, field: "communities" } : f));
  return fieldMessages({ ...err, fields }, FORM_FIELDS);
}

/** The service refused a range for its size, and ticking "force" would let it run. */
export function wantsForce(err: ApiError): boolean {
  return err.fields.some((f) => f.field === "targets" && f.message.includes("force it"));
}

const PHASES: Readonly<Record<DiscoveryProgress["phase"], string>> = {
  sweep: "ICMP sweep",
  snmp: "SNMP",
  done: "Done",
};

export interface ProgressView {
  /** 0 to 100, for the progress bar. */
  percent: number;
  phase: string;
  text: string;
}

export function progressView(p: DiscoveryProgress): ProgressView {
  const percent = p.total > 0 ? Math.min(100, Math.floor((p.probed * 100) / p.total)) : p.phase === "done" ? 100 : 0;
  const phase = PHASES[p.phase];
  const found = `${p.found} found`;
  const text = p.phase === "done" ? `${phase}: ${found}` : `${phase}: ${p.probed} / ${p.total} probed, ${found}`;
  return { percent, phase, text };
}

/** The progress a run record implies, before the first event arrives. */
export function progressOfRun(run: DiscoveryRun): DiscoveryProgress {
  const phase = run.state === "running" ? "sweep" : "done";
  return { runId: run.id, phase, probed: run.probed, total: run.total, found: run.found };
}

/** `m:ss`, or `h:mm:ss` past an hour; never negative. */
export function formatElapsed(startedAt: string, nowMs: number, finishedAt: string | null = null): string {
  const end = finishedAt === null ? nowMs : Date.parse(finishedAt);
  return formatStopwatch(end - Date.parse(startedAt));
}

export function runSummary(run: DiscoveryRun): string {
  const what = `${run.state}: ${run.total} addresses, ${run.found} found`;
  return run.error === null ? what : `${what} (${run.error})`;
}

const MATCHED_BY: Readonly<Record<IdentityMatch, string>> = {
  address: "address",
  engineId: "SNMP engine id",
  sysName: "sysName",
};

export interface ResultRow {
  address: string;
  otherAddresses: string[];
  name: string;
  /** The agent's own sysName when it differs from the proposed name. */
  sysName: string;
  vendor: string;
  kind: string;
  model: string;
  os: string;
  /** Confidence of the device type, "0.92", or "" without SNMP. */
  confidence: string;
  status: "new" | "known" | "added";
  /** "already known as core1 (by sysName)", "added as core1", or "". */
  note: string;
  /** Only new responders can be picked for adding. */
  selectable: boolean;
}

export function resultRow(f: FoundDevice, deviceName: (id: DeviceId) => string | undefined): ResultRow {
  const c = f.classification;
  const os = [c?.os?.value, c?.osVersion?.value].filter((x) => x !== undefined && x !== "").join(" ");
  const sysName = f.snmp?.sysName.trim() ?? "";
  let status: ResultRow["status"] = "new";
  let note = "";
  if (f.added !== null) {
    status = "added";
    note = `added as ${deviceName(f.added) ?? "a device"}`;
  } else if (f.existing !== null) {
    status = "known";
    const how = f.matchedBy === null ? "" : ` (by ${MATCHED_BY[f.matchedBy]})`;
    note = `already known as ${deviceName(f.existing) ?? "a device"}${how}`;
  }
  return {
    address: f.address,
    otherAddresses: [...f.otherAddresses],
    name: f.suggestedName,
    sysName: sysName === f.suggestedName ? "" : sysName,
    vendor: c?.vendor?.value ?? "",
    kind: c === null ? (f.alive ? "ping only" : "") : c.kind.value,
    model: c?.model?.value ?? "",
    os,
    confidence: c === null ? "" : `${formatPercent(c.kind.confidence * 100)} ${confidenceWord(c.kind.confidence)}`,
    status,
    note,
    selectable: status === "new",
  };
}

/** IPv4 in numeric order, then everything else as text. */
export function compareAddresses(a: string, b: string): number {
  const key = (s: string): number | null => {
    const parts = s.split(".");
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
  };
  const ka = key(a);
  const kb = key(b);
  if (ka !== null && kb !== null) return ka - kb;
  if (ka !== null) return -1;
  if (kb !== null) return 1;
  return a.localeCompare(b);
}

/** A found device streamed in: replaces the same address, else joins in address order. */
export function mergeFound(list: readonly FoundDevice[], f: FoundDevice): FoundDevice[] {
  const out = list.filter((x) => x.address !== f.address);
  out.push(f);
  return out.sort((a, b) => compareAddresses(a.address, b.address));
}

/** Results as the service lists them, in address order. */
export function sortFound(list: readonly FoundDevice[]): FoundDevice[] {
  return [...list].sort((a, b) => compareAddresses(a.address, b.address));
}

/** What "Add selected" did for one row. */
export type AddOutcome = { added: string } | { skipped: true } | { error: string };

export function outcomeText(o: AddOutcome): string {
  if ("added" in o) return `added as ${o.added}`;
  if ("skipped" in o) return "already a device; not added again";
  return o.error;
}

/** Every new responder, as the selection starts when a run finishes. */
export function defaultSelection(rows: readonly ResultRow[]): Set<string> {
  return new Set(rows.filter((r) => r.selectable).map((r) => r.address));
}

/** Flips one row; rows that cannot be picked never enter the selection. */
export function toggleRow(sel: ReadonlySet<string>, rows: readonly ResultRow[], address: string): Set<string> {
  const out = new Set(sel);
  if (out.has(address)) out.delete(address);
  else if (rows.some((r) => r.address === address && r.selectable)) out.add(address);
  return out;
}

export function selectAll(rows: readonly ResultRow[], on: boolean): Set<string> {
  return on ? defaultSelection(rows) : new Set();
}

/** The picked addresses still pickable, in row order: what "Add selected" sends. */
export function selectedAddresses(sel: ReadonlySet<string>, rows: readonly ResultRow[]): string[] {
  return rows.filter((r) => r.selectable && sel.has(r.address)).map((r) => r.address);
}

/** "all", "some" or "none" of the pickable rows are picked, for the header checkbox. */
export function selectionState(sel: ReadonlySet<string>, rows: readonly ResultRow[]): "all" | "some" | "none" {
  const pickable = rows.filter((r) => r.selectable);
  const n = pickable.filter((r) => sel.has(r.address)).length;
  if (n === 0) return "none";
  return n === pickable.length ? "all" : "some";
}

/** The run a discovery event is about; `null` for every other event. */
export function discoveryEventRun(ev: CoreEvent): DiscoveryRunId | null {
  switch (ev.type) {
    case "discoveryProgress":
      return ev.progress.runId;
    case "discoveryFound":
      return ev.device.runId;
    case "discoveryFinished":
      return ev.run.id;
    default:
      return null;
  }
}
