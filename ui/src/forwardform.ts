// Northbound forwarding targets on the Events screen, the pure half: the
// targets as a table, the form's values to a ForwardTarget (the port and the
// kind's own boxes checked here, the rest by the service), and the
// service's field names mapped onto the form's. A trap target's community
// is write-only: the table says whether one is kept, never what it is.
import type { ApiError, FieldError, ForwardKind, ForwardTarget, ForwardTargetView, Severity, SyslogTransport } from "./generated/bindings";
import { html, nothing, type TemplateResult } from "./html";
import { enabledBox, rowButtons } from "./listscreen";

export const FORWARD_FIELDS = ["name", "type", "address", "port", "community", "user", "transport", "caFile", "serverName", "certFile", "keyFile", "minSeverity"] as const;

export interface ForwardFormValues {
  name: string;
  enabled: boolean;
  /** "snmp_trap" or "syslog". */
  type: string;
  address: string;
  port: string;
  /** Blank keeps the stored community (or "public" for a new target). */
  community: string;
  /** A stored SNMPv3 credential's name: v3 traps; blank: v2c. */
  user: string;
  transport: string;
  caFile: string;
  serverName: string;
  /** TLS only: the client certificate (PEM) to present, with keyFile; paths, never contents. */
  certFile: string;
  keyFile: string;
  minSeverity: string;
}

/** The well-known port of each way of sending. */
export function defaultPort(type: string, transport: string): number {
  if (type === "snmp_trap") return 162;
  return transport === "tls" ? 6514 : 514;
}

const TRANSPORTS: readonly SyslogTransport[] = ["tcp", "udp", "tls"];
const SEVERITIES: readonly Severity[] = ["critical", "major", "minor", "warning"];

export function parseForwardForm(v: ForwardFormValues): { target: ForwardTarget; community: string | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const portText = v.port.trim();
  const port = portText === "" ? defaultPort(v.type, v.transport) : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push({ field: "port", message: "must be a whole number from 1 to 65535" });
  const transport = TRANSPORTS.find((t) => t === v.transport) ?? "tcp";
  const optional = (s: string): string | null => (s.trim() === "" ? null : s.trim());
  const kind: ForwardKind =
    v.type === "snmp_trap"
      ? { type: "snmp_trap", address: v.address.trim(), port, communityRef: null, ...(optional(v.user) === null ? {} : { user: v.user.trim() }) }
      : {
          type: "syslog",
          address: v.address.trim(),
          port,
          transport,
          caFile: transport === "tls" ? optional(v.caFile) : null,
          serverName: transport === "tls" ? optional(v.serverName) : null,
          ...clientIdentity(transport, optional(v.certFile), optional(v.keyFile)),
        };
  const minSeverity = SEVERITIES.find((s) => s === v.minSeverity) ?? "warning";
  const community = v.type === "snmp_trap" && v.community !== "" && optional(v.user) === null ? v.community : null;
  return { target: { name: v.name.trim(), enabled: v.enabled, kind, minSeverity }, community, errors };
}

/** The client certificate's two paths, sent only over TLS and only when given (the service checks they come together). */
function clientIdentity(transport: SyslogTransport, certFile: string | null, keyFile: string | null): { certFile?: string; keyFile?: string } {
  if (transport !== "tls") return {};
  return { ...(certFile === null ? {} : { certFile }), ...(keyFile === null ? {} : { keyFile }) };
}

/** The form's values for a stored target; the community box stays blank (kept). */
export function forwardValuesOf(t: ForwardTarget): ForwardFormValues {
  const k = t.kind;
  return {
    name: t.name,
    enabled: t.enabled,
    type: k.type,
    address: k.address,
    port: String(k.port),
    community: "",
    user: k.type === "snmp_trap" ? (k.user ?? "") : "",
    transport: k.type === "syslog" ? k.transport : "tcp",
    caFile: k.type === "syslog" ? (k.caFile ?? "") : "",
    serverName: k.type === "syslog" ? (k.serverName ?? "") : "",
    certFile: k.type === "syslog" ? (k.certFile ?? "") : "",
    keyFile: k.type === "syslog" ? (k.keyFile ?? "") : "",
    minSeverity: t.minSeverity,
  };
}

/** The service's names (`kind.address`) onto the form's (`address`), the form's own hints first. */
export function forwardFormErrors(err: ApiError, client: readonly FieldError[] = []): ApiError {
  const fields = [...client];
  for (const f of err.fields) {
    const field = f.field.startsWith("kind.") ? f.field.slice("kind.".length) : f.field;
    if (!fields.some((c) => c.field === field && c.message === f.message)) fields.push({ field, message: f.message });
  }
  return { ...err, fields };
}

/** "SNMP trap", "syslog over TLS (CA /etc/…; name noc.example)". */
export function sendsText(k: ForwardKind): string {
  if (k.type === "snmp_trap") {
    if (k.user !== undefined) return `SNMPv3 trap (user ${k.user})`;
    return k.communityRef === null ? "SNMPv2c trap (community public)" : "SNMPv2c trap (community kept in the vault)";
  }
  const extra = [
    k.caFile === null ? null : `CA ${k.caFile}`,
    k.serverName === null ? null : `name ${k.serverName}`,
    k.certFile === undefined ? null : `client certificate ${k.certFile}`,
  ].filter((x) => x !== null);
  return `syslog over ${k.transport.toUpperCase()}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

export function forwardTable(targets: readonly ForwardTargetView[]): TemplateResult {
  if (targets.length === 0) {
    return html`<p class="empty">No forwarding targets: alarms go nowhere beyond this desktop. Add one below, or with <code>meridian forward add-trap|add-syslog</code>.</p>`;
  }
  const sorted = [...targets].sort((a, b) => a.name.localeCompare(b.name));
  return html`<table class="inventory rules forward-targets">
    <thead><tr><th>Name</th><th>Sends</th><th>To</th><th>Least severity</th><th>Enabled</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map(
        (t) => html`<tr data-id=${t.id} class=${t.enabled ? nothing : "is-disabled"}>
          <td class="name">${t.name}</td>
          <td>${sendsText(t.kind)}</td>
          <td><code>${t.kind.address}:${t.kind.port}</code></td>
          <td><span class="sev sev-${t.minSeverity}">${t.minSeverity}</span></td>
          <td>${enabledBox("toggle-forward", t.id, `forwarding target ${t.name}`, t.enabled)}</td>
          ${rowButtons("forward", t.id, t.name)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}
