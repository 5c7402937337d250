// The device page's markup, as lit-html templates of the data (bindings are
// text, so user- and device-supplied values never become markup); no style
// attributes (CSP), only classes from style.css.
import type { Device, DeviceLive, InterfaceView, SnmpIdentityView, StateChange } from "./generated/bindings";
import { formatAgo, formatBitRate, formatDuration, formatIsoDateTime, formatMs, formatPercent } from "./format";
import { live as liveProp } from "lit-html/directives/live.js";
import { html, nothing, type TemplateResult } from "./html";

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

const dash = html`<span class="muted">—</span>`;

function text(v: string | null | undefined): TemplateResult | string {
  return v === null || v === undefined || v.trim() === "" ? dash : v;
}

/** The pill next to the name: live state, else unknown. */
export function stateOf(live: DeviceLive | undefined): string {
  return live?.state ?? "unknown";
}

/**
 * The agent's uptime now: its sysUpTime at the last answer plus the time
 * since ("12 d 3 h"); "unknown" when SNMP never answered in this run.
 */
export function uptimeText(live: DeviceLive | undefined, nowMs: number): string {
  const secs = live?.uptimeSecs;
  const at = live?.uptimeAt === undefined ? NaN : Date.parse(live.uptimeAt);
  if (secs === undefined || secs === null || Number.isNaN(at)) return "unknown";
  return formatDuration(secs * 1000 + Math.max(0, nowMs - at));
}

/** Identity and the live values, as a definition list; `snmp` adds what the agent said about itself. */
export function identity(d: Device, live: DeviceLive | undefined, nowMs: number, snmp: SnmpIdentityView | null = null): TemplateResult {
  const loss = live?.lossPct === null || live?.lossPct === undefined ? dash : formatPercent(Math.round(live.lossPct));
  const rtt = live?.rttMs === null || live?.rttMs === undefined ? dash : formatMs(live.rttMs);
  const rows: [string, unknown][] = [
    ["Address", html`<code>${d.address}</code>`],
    ["Kind", text(d.kind)],
    ["Vendor", text(d.vendor)],
    ["Model", text(d.model)],
    ["OS", text(d.os)],
    ["Site", text(d.siteName ?? d.siteId)],
    ["Tags", d.tags.length === 0 ? dash : d.tags.map((t) => html`<span class="tag">${t}</span>`)],
    ["Last seen", formatAgo(live?.lastSeen ?? null, nowMs)],
    ["Uptime", uptimeText(live, nowMs)],
    ["RTT", rtt],
    ["Loss", loss],
    ["Monitoring", d.enabled ? "enabled" : html`<span class="state off">disabled</span>`],
  ];
  if (snmp !== null) {
    rows.push(
      ["sysName", text(snmp.sysName)],
      ["sysObjectID", snmp.sysObjectId === null ? dash : html`<code>${snmp.sysObjectId}</code>`],
      ["Identified", formatAgo(snmp.identifiedAt, nowMs)],
    );
  }
  const descr = snmp?.sysDescr ?? null;
  return html`<dl class="dp-facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}${
    descr === null ? nothing : html`<div class="dp-descr"><dt>Description</dt><dd>${descr}</dd></div>`
  }</dl>`;
}

/** State changes, newest first (as the service sends them), with ISO local times as in every table. */
export function statesList(states: readonly StateChange[]): TemplateResult {
  if (states.length === 0) return html`<li class="muted">No state changes in this range.</li>`;
  return html`${states.map(
    (s) =>
      html`<li><time datetime=${s.at}>${formatIsoDateTime(new Date(s.at), { seconds: true })}</time>
        <span class="state-pill st-${s.from}">${s.from}</span> → <span class="state-pill st-${s.to}">${s.to}</span></li>`,
  )}`;
}

/** What an interface is called in lists: its name, else description, else its index. */
export function interfaceName(i: Pick<InterfaceView, "name" | "descr" | "ifIndex">): string {
  return i.name ?? i.descr ?? `ifIndex ${i.ifIndex}`;
}

function status(v: string | null): TemplateResult {
  if (v === null) return dash;
  const cls = v === "up" ? "if-up" : v === "down" ? "if-down" : "if-other";
  return html`<span class="if-status ${cls}">${v}</span>`;
}

function rate(v: number | null): TemplateResult | string {
  return v === null ? dash : formatBitRate(v);
}

/** ifSpeed 0 is the agent saying it does not know (RFC 2863), not a dead link. */
function speed(v: number | null): TemplateResult | string {
  return v === null || v === 0 ? html`<span class="muted">unknown</span>` : formatBitRate(v);
}

/** The interfaces table; `selected` is the one the traffic chart shows. */
export function interfacesTable(ifaces: readonly InterfaceView[], selected: number | null): TemplateResult {
  if (ifaces.length === 0) return html`<p class="muted">No interfaces polled yet (the device needs an SNMP credential).</p>`;
  const rows = ifaces.map((i) => {
    const sel = i.ifIndex === selected;
    return html`<tr data-if=${i.ifIndex} class=${sel ? "selected" : nothing} aria-current=${sel ? "true" : nothing}>
      <td class="num">${i.ifIndex}</td>
      <td>${interfaceName(i)}</td>
      <td>${text(i.alias)}</td>
      <td>${status(i.adminStatus)}</td>
      <td>${status(i.operStatus)}</td>
      <td class="num">${speed(i.speedBps)}</td>
      <td class="num">${rate(i.inBps)}</td>
      <td class="num">${rate(i.outBps)}</td>
    </tr>`;
  });
  return html`<table class="dp-interfaces">
    <thead>
      <tr>
        <th scope="col" class="num">#</th><th scope="col">Name</th><th scope="col">Alias</th>
        <th scope="col">Admin</th><th scope="col">Oper</th><th scope="col" class="num">Speed</th>
        <th scope="col" class="num">In</th><th scope="col" class="num">Out</th>
      </tr>
    </thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** Options of the traffic chart's interface select box. */
export function interfaceOptions(ifaces: readonly InterfaceView[], selected: number | null): TemplateResult {
  if (ifaces.length === 0) return html`<option value="">no interfaces</option>`;
  return html`${ifaces.map((i) => {
    const alias = i.alias !== null && i.alias !== "" ? ` (${i.alias})` : "";
    const sel = i.ifIndex === selected;
    return html`<option value=${i.ifIndex} ?selected=${sel} .selected=${liveProp(sel)}>${interfaceName(i) + alias}</option>`;
  })}`;
}
