// The Timing screen (issue 16 item 4): the PTP tree of the watched clocks
// with each clock's role, port state, offset and path delay; the watched NTP
// servers; and for a chosen clock its offset chart and the MTIE and TDEV of
// a window of it on log-log plots with the chosen masks over them. A drag
// across the offset chart analyses that range. Its own chunk, built the
// first time the tab is chosen.
import type {
  Device,
  DeviceTimingRole,
  MaskInfo,
  NtpServerView,
  PtpTree,
  SynceSourceView,
  TimingRole,
  WanderReport,
  WanderSettingsView,
} from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { chartSpecs } from "./charts";
import { element } from "./formdom";
import { DASH, formatAgo, formatIsoDateTime, formatMs, formatNs, formatNumber, formatSeconds } from "./format";
import { draw, html, nothing } from "./html";
import { maskChoices, roleLabel, ROLES, treeRows, verdictText, wanderPlot, type TreeRow } from "./timingmodel";
import { Chart } from "./uplotchart";
import { WanderChart } from "./wanderchart";

const DEFAULT_MASKS = ["g8261-eec1-network"];
/** The offset chart's span and the first analysed window: the last hour. */
const WINDOW_MS = 3600_000;
const CHART_POINTS = 600;

function message(err: unknown): string {
  return toApiError(err).detail;
}

/** The detail and each field error ("windowSecs: must be 4 s to ..."). */
function fieldMessage(err: unknown): string {
  const e = toApiError(err);
  return [e.detail, ...e.fields.map((f) => `${f.field}: ${f.message}`)].join(" \u2014 ");
}

export class TimingScreen {
  private readonly treeEl = element("timing-tree");
  private readonly ntpEl = element("timing-ntp");
  private readonly synceEl = element("timing-synce");
  private readonly rolesEl = element("timing-roles");
  private readonly clockEl = element("timing-clock");
  private readonly error = element("timing-error");
  private readonly wanderError = element("timing-wander-error");
  private readonly verdictsEl = element("timing-verdicts");
  private readonly offsetFig = element("timing-offset-fig");
  private readonly plotsEl = element("timing-plots");
  private readonly offset = new Chart(element("timing-offset"), (f, t) => void this.analyse(new Date(f * 1000), new Date(t * 1000)));
  private readonly mtie = new WanderChart(element("timing-mtie"));
  private readonly tdev = new WanderChart(element("timing-tdev"));
  private masks: MaskInfo[] = [];
  private chosenMasks = new Set<string>(DEFAULT_MASKS);
  private device: string | null = null;
  /** The chosen device's wander settings (its own or the monitor's). */
  private settings: WanderSettingsView | null = null;
  private roles = new Map<string, TimingRole>();

  constructor() {
    element("timing-refresh").addEventListener("click", () => void this.show());
  }

  async show(): Promise<void> {
    draw(this.error, nothing);
    try {
      const [tree, ntp, synce, roles, masks, devices] = await Promise.all([
        api.ptpTree(),
        api.ntpServers(),
        api.synceSources(),
        api.timingRoles(),
        this.masks.length > 0 ? Promise.resolve(this.masks) : api.wanderMasks(),
        api.listDevices(),
      ]);
      this.masks = masks;
      this.roles = new Map(roles.map((r) => [r.device, r.role]));
      this.drawTree(tree);
      this.drawNtp(ntp);
      this.drawSynce(synce);
      this.drawRoles(roles, devices);
      const first = treeRows(tree).find((r) => r.node.device !== null && r.node.offsetNs !== null)?.node.device ?? null;
      if (this.device === null && first !== null) await this.choose(first);
      else if (this.device !== null) this.drawClock();
    } catch (err) {
      draw(this.error, message(err));
    }
  }

  hide(): void {}

  private drawTree(tree: PtpTree): void {
    const rows = treeRows(tree);
    const row = (r: TreeRow) => {
      const n = r.node;
      const chosen = n.device !== null && n.device === this.device;
      return html`<tr class=${chosen ? "chosen" : ""}>
        <td class=${`timing-clock depth-${Math.min(r.depth, 5)}`}>
          ${n.device === null
            ? html`<span class="muted">${n.clock}</span>`
            : html`<button type="button" class="link" @click=${() => void this.choose(n.device ?? "")}>${n.device}</button>
                <span class="muted">${n.clock}</span>`}
        </td>
        <td>${r.place}</td>
        <td>${n.portState ?? DASH}</td>
        <td class="num">${n.offsetNs === null ? DASH : formatNs(n.offsetNs)}</td>
        <td class="num">${n.pathDelayNs === null ? DASH : formatNs(n.pathDelayNs)}</td>
        <td class="num">${n.stepsRemoved ?? DASH}</td>
      </tr>`;
    };
    draw(
      this.treeEl,
      html`${rows.length === 0
          ? html`<p class="muted">No watched PTP clock answered. Watch one from the CLI (<code>meridian device ptp</code>).</p>`
          : html`<table class="inventory timing-tree" aria-label="PTP clocks">
              <thead><tr><th>Clock</th><th>Role</th><th>Port state</th><th class="num">Offset</th><th class="num">Path delay</th><th class="num">Steps</th></tr></thead>
              <tbody>${rows.map(row)}</tbody>
            </table>`}
        ${tree.unreachable.map((m) => html`<p class="form-error">${m.device}: ${m.error}</p>`)}`,
    );
  }

  private drawNtp(servers: NtpServerView[]): void {
    const now = Date.now();
    draw(
      this.ntpEl,
      servers.length === 0
        ? html`<p class="muted">No NTP server is watched (<code>meridian device ntp</code>).</p>`
        : html`<table class="inventory" aria-label="NTP servers">
            <thead><tr><th>Server</th><th>Address</th><th class="num">Offset</th><th class="num">Delay</th><th class="num">Stratum</th><th class="num" title="The last eight polls, in octal as ntpq shows it: 377 all answered, 0 none">Reach</th><th>Last answer</th><th>Alarms</th></tr></thead>
            <tbody>${servers.map(
              (s) => html`<tr>
                <td>${s.device}</td><td>${s.address}:${s.port}</td>
                <td class="num">${s.offsetMs === null ? DASH : formatMs(s.offsetMs)}</td>
                <td class="num">${s.delayMs === null ? DASH : formatMs(s.delayMs)}</td>
                <td class="num">${s.stratum === null ? DASH : formatNumber(s.stratum)}</td>
                <td class="num"><code>${s.reach ?? DASH}</code></td>
                <td>${formatAgo(s.at, now)}</td>
                <td>${s.alarms.length === 0 ? "reachable, in sync" : s.alarms.join(", ")}</td>
              </tr>`,
            )}</tbody>
          </table>`,
    );
  }

  private drawSynce(sources: SynceSourceView[]): void {
    const now = Date.now();
    draw(
      this.synceEl,
      sources.length === 0
        ? html`<p class="muted">No device reported SyncE clock sources.</p>`
        : html`<table class="inventory" aria-label="SyncE sources">
            <thead><tr><th>Device</th><th>Source</th><th>Quality level</th><th>Read</th><th>Alarm</th></tr></thead>
            <tbody>${sources.map(
              (s) => html`<tr class=${s.alarm === null ? "" : "fail"}>
                <td>${s.device}</td><td>${s.source}</td><td><code>${s.qualityLevel}</code></td>
                <td>${formatAgo(s.at, now)}</td><td>${s.alarm ?? "none"}</td>
              </tr>`,
            )}</tbody>
          </table>`,
    );
  }

  /** Every device's role, and a form that sets one for any device (an NTP server, a GNSS receiver ...). */
  private drawRoles(roles: DeviceTimingRole[], devices: Device[]): void {
    const sorted = [...devices].sort((a, b) => a.name.localeCompare(b.name));
    const submit = async (e: Event): Promise<void> => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const device = (form.elements.namedItem("device") as HTMLSelectElement).value;
      const role = (form.elements.namedItem("role") as HTMLSelectElement).value;
      try {
        await api.setTimingRole(device, role === "" ? null : (role as TimingRole));
        await this.show();
      } catch (err) {
        draw(this.error, message(err));
      }
    };
    draw(
      this.rolesEl,
      html`${roles.length === 0
          ? html`<p class="muted">No device has a timing role.</p>`
          : html`<table class="inventory" aria-label="Timing roles">
              <thead><tr><th>Device</th><th>Role</th></tr></thead>
              <tbody>${roles.map((r) => html`<tr><td>${r.device}</td><td>${roleLabel(r.role)}</td></tr>`)}</tbody>
            </table>`}
        <form id="timing-role-form" class="rule-actions timing-controls" @submit=${(e: Event) => void submit(e)}>
          <label for="tr-device">Device</label>
          <select id="tr-device" name="device">${sorted.map((d) => html`<option value=${d.id}>${d.name}</option>`)}</select>
          <label for="tr-role">Role</label>
          <select id="tr-role" name="role">
            <option value="">none</option>
            ${ROLES.map((r) => html`<option value=${r}>${roleLabel(r)}</option>`)}
          </select>
          <button type="submit" class="small" ?disabled=${sorted.length === 0}>Set role</button>
        </form>`,
    );
  }

  private async choose(device: string): Promise<void> {
    this.device = device;
    this.settings = null;
    try {
      this.settings = await api.wanderSettings(device);
      this.chosenMasks = new Set(this.settings.settings.masks);
      // The box may still hold what was typed for the previous device.
      const box = document.getElementById("timing-window") as HTMLInputElement | null;
      if (box !== null) box.value = String(this.settings.settings.windowSecs);
    } catch (err) {
      draw(this.wanderError, message(err));
    }
    this.drawClock();
    const to = new Date();
    const from = new Date(to.getTime() - WINDOW_MS);
    try {
      const h = await api.deviceHistory(device, from.toISOString(), to.toISOString(), CHART_POINTS, null);
      const spec = chartSpecs(h).find((s) => s.key === "ptp");
      this.offsetFig.hidden = spec === undefined;
      if (spec !== undefined) await this.offset.set(spec, from.getTime() / 1000, to.getTime() / 1000);
    } catch (err) {
      draw(this.wanderError, message(err));
    }
    await this.analyse(new Date(to.getTime() - this.windowSecs() * 1000), to);
  }

  private drawClock(): void {
    const device = this.device;
    if (device === null) return;
    const role = this.roles.get(device) ?? null;
    const setRole = async (e: Event): Promise<void> => {
      const v = (e.target as HTMLSelectElement).value;
      try {
        await api.setTimingRole(device, v === "" ? null : (v as TimingRole));
        await this.show();
      } catch (err) {
        draw(this.wanderError, message(err));
      }
    };
    const toggle = (id: string) => (e: Event): void => {
      if ((e.target as HTMLInputElement).checked) this.chosenMasks.add(id);
      else this.chosenMasks.delete(id);
    };
    draw(
      this.clockEl,
      html`<div class="rule-actions timing-controls">
        <strong>${device}</strong>
        <label for="timing-role">Role</label>
        <select id="timing-role" @change=${(e: Event) => void setRole(e)}>
          <option value="" ?selected=${role === null}>none</option>
          ${ROLES.map((r) => html`<option value=${r} ?selected=${r === role}>${roleLabel(r)}</option>`)}
        </select>
        <label for="timing-window">Window (s)</label>
        <input id="timing-window" type="number" min="4" step="1" class="narrow" .value=${String(this.windowSecs())} />
        <button type="button" class="small" id="timing-analyse" @click=${() => void this.analyseWindow()}>Analyse window</button>
        <button type="button" class="small" id="timing-save-settings" @click=${() => void this.saveSettings(device, true)}>Save for this device</button>
        ${this.settings?.own === true
          ? html`<button type="button" class="small" id="timing-reset-settings" @click=${() => void this.saveSettings(device, false)}>Use the monitor's</button>`
          : nothing}
        <span class="muted" id="timing-settings-source">${this.settings === null ? "" : this.settings.own ? "this device's settings" : "the monitor's settings"}</span>
      </div>
      <fieldset class="timing-masks"><legend>Masks</legend>
        ${maskChoices(this.masks).map(
          (m) => html`<label title=${m.title}><input type="checkbox" .checked=${this.chosenMasks.has(m.id)} @change=${toggle(m.id)} /> ${m.id}</label>`,
        )}
      </fieldset>`,
    );
  }

  /** The window box's value when it holds a number, else the settings' (or an hour). */
  private windowSecs(): number {
    const box = document.getElementById("timing-window") as HTMLInputElement | null;
    const typed = box === null ? NaN : Number(box.value);
    if (box !== null && box.value !== "" && Number.isFinite(typed)) return typed;
    return this.settings?.settings.windowSecs ?? WINDOW_MS / 1000;
  }

  private analyseWindow(): Promise<void> {
    const to = new Date();
    return this.analyse(new Date(to.getTime() - this.windowSecs() * 1000), to);
  }

  /** Saves the masks ticked and the window as the device's own (`own`), or returns it to the monitor's. */
  private async saveSettings(device: string, own: boolean): Promise<void> {
    draw(this.wanderError, nothing);
    try {
      const settings = own ? { masks: [...this.chosenMasks], windowSecs: Math.trunc(this.windowSecs()) } : null;
      this.settings = await api.setWanderSettings(device, settings);
      this.chosenMasks = new Set(this.settings.settings.masks);
      this.drawClock();
    } catch (err) {
      draw(this.wanderError, fieldMessage(err));
    }
  }

  private async analyse(from: Date, to: Date): Promise<void> {
    const device = this.device;
    if (device === null) return;
    draw(this.wanderError, nothing);
    try {
      const r = await api.wander(device, from.toISOString(), to.toISOString(), [...this.chosenMasks]);
      this.drawVerdicts(r);
      this.plotsEl.hidden = false;
      await Promise.all([this.mtie.set(wanderPlot(r, "mtie")), this.tdev.set(wanderPlot(r, "tdev"))]);
    } catch (err) {
      this.plotsEl.hidden = true;
      draw(this.verdictsEl, nothing);
      draw(this.wanderError, message(err));
    }
  }

  private drawVerdicts(r: WanderReport): void {
    draw(
      this.verdictsEl,
      html`<p class="muted">${r.device}: ${r.points} offset samples from ${formatIsoDateTime(new Date(r.from))} to
          ${formatIsoDateTime(new Date(r.to))}, tau0 ${formatSeconds(r.tau0)}</p>
        <ul class="timing-verdicts">
          ${r.verdicts.map((v) => html`<li class=${v.pass ? "pass" : "fail"}><strong>${v.pass ? "PASS" : "FAIL"}</strong> ${verdictText(v)}</li>`)}
        </ul>`,
    );
  }
}
