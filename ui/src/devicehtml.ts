// The device page's markup, as pure functions of the data (tested without a
// DOM). Everything user- or device-supplied goes through escapeHtml; no
// style attributes (CSP), only classes from style.css.
import type { Device, DeviceLive, InterfaceView, StateChange } from "./generated/bindings";
import { formatSi } from "./charts";
import { escapeHtml } from "./devices";
import { formatAgo, formatRtt } from "./render";

/** `#/device/<id>` → the id; anything else → null. */
export function parseDeviceHash(hash: string): string | null {
  const m = /^#\/device\/([^/?#]+)$/.exec(hash);
  if (m === null || m[1] === undefined) return null;
  try {
    const id = decodeURIComponent(m[1]);
    return id.trim() === "" ? null : id;
  } catch {
    return null;
  }
}

export function deviceHash(id: string): string {
  return `#/device/${encodeURIComponent(id)}`;
}

const dash = '<span class="muted">—</span>';

function text(v: string | null | undefined): string {
  return v === null || v === undefined || v.trim() === "" ? dash : escapeHtml(v);
}

/** The pill next to the name: live state, else unknown. */
export function stateOf(live: DeviceLive | undefined): string {
  return live?.state ?? "unknown";
}

/** Identity and the live values, as a definition list. */
export function identityHtml(d: Device, live: DeviceLive | undefined, nowMs: number): string {
  const loss = live?.lossPct === null || live?.lossPct === undefined ? dash : `${Math.round(live.lossPct)} %`;
  const rows: [string, string][] = [
    ["Address", `<code>${escapeHtml(d.address)}</code>`],
    ["Kind", text(d.kind)],
    ["Vendor", text(d.vendor)],
    ["Model", text(d.model)],
    ["OS", text(d.os)],
    ["Site", text(d.siteName ?? d.siteId)],
    ["Tags", d.tags.length === 0 ? dash : d.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join("")],
    ["Last seen", escapeHtml(formatAgo(live?.lastSeen ?? null, nowMs))],
    ["RTT", escapeHtml(formatRtt(live?.rttMs))],
    ["Loss", loss],
    ["Monitoring", d.enabled ? "enabled" : '<span class="state off">disabled</span>'],
  ];
  return `<dl class="dp-facts">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("")}</dl>`;
}

function when(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime())
    ? escapeHtml(iso)
    : escapeHtml(t.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }));
}

/** State changes, newest first (as the service sends them). */
export function statesHtml(states: readonly StateChange[]): string {
  if (states.length === 0) return '<li class="muted">No state changes in this range.</li>';
  return states
    .map(
      (s) =>
        `<li><time datetime="${escapeHtml(s.at)}">${when(s.at)}</time> ` +
        `<span class="state-pill st-${s.from}">${s.from}</span> → <span class="state-pill st-${s.to}">${s.to}</span></li>`,
    )
    .join("");
}

/** What an interface is called in lists: its name, else description, else its index. */
export function interfaceName(i: Pick<InterfaceView, "name" | "descr" | "ifIndex">): string {
  return i.name ?? i.descr ?? `ifIndex ${i.ifIndex}`;
}

function status(v: string | null): string {
  if (v === null) return dash;
  const cls = v === "up" ? "if-up" : v === "down" ? "if-down" : "if-other";
  return `<span class="if-status ${cls}">${escapeHtml(v)}</span>`;
}

function rate(v: number | null): string {
  return v === null ? dash : escapeHtml(formatSi(v, "bit/s"));
}

/** The interfaces table; `selected` is the one the traffic chart shows. */
export function interfacesHtml(ifaces: readonly InterfaceView[], selected: number | null): string {
  if (ifaces.length === 0) return '<p class="muted">No interfaces polled yet (the device needs an SNMP credential).</p>';
  const rows = ifaces.map((i) => {
    const sel = i.ifIndex === selected;
    return (
      `<tr data-if="${i.ifIndex}"${sel ? ' class="selected" aria-current="true"' : ""}>` +
      `<td class="num">${i.ifIndex}</td>` +
      `<td>${escapeHtml(interfaceName(i))}</td>` +
      `<td>${text(i.alias)}</td>` +
      `<td>${status(i.adminStatus)}</td>` +
      `<td>${status(i.operStatus)}</td>` +
      `<td class="num">${i.speedBps === null ? dash : escapeHtml(formatSi(i.speedBps, "bit/s"))}</td>` +
      `<td class="num">${rate(i.inBps)}</td>` +
      `<td class="num">${rate(i.outBps)}</td>` +
      `</tr>`
    );
  });
  return (
    '<table class="dp-interfaces"><thead><tr>' +
    '<th scope="col" class="num">#</th><th scope="col">Name</th><th scope="col">Alias</th>' +
    '<th scope="col">Admin</th><th scope="col">Oper</th><th scope="col" class="num">Speed</th>' +
    '<th scope="col" class="num">In</th><th scope="col" class="num">Out</th>' +
    `</tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}

/** Options of the traffic chart's interface select box. */
export function interfaceOptionsHtml(ifaces: readonly InterfaceView[], selected: number | null): string {
  if (ifaces.length === 0) return '<option value="">no interfaces</option>';
  return ifaces
    .map((i) => {
      const alias = i.alias !== null && i.alias !== "" ? ` (${i.alias})` : "";
      const sel = i.ifIndex === selected ? " selected" : "";
      return `<option value="${i.ifIndex}"${sel}>${escapeHtml(interfaceName(i) + alias)}</option>`;
    })
    .join("");
}
