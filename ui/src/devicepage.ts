// The device page (#/device/<id>), the hub for one device: identity and live
// values, its active alarms (acknowledged in the console's own drawer, shown
// in place), Poll now, Edit (the devices table's dialog) and Disable/Enable,
// state history, interfaces with their current rates, and charts over a
// chosen time range (opening on one that fits the age of the device's data).
// It owns <main id="view-device">; opening it hides the tab views and Back
// (or Escape) shows the one that was open. A range ending now is fetched
// again every 30 s while the page shows; a zoomed-in window is not.
import type { AlarmId, Device, SnmpIdentityView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { chartSpecs, hasData, type ChartSpec } from "./charts";
import { identity, interfaceOptions, interfacesTable, parseDeviceHash, stateOf, statesList } from "./devicehtml";
import { errorBanner, STALE_TITLE } from "./devices";
import { draw, html, nothing } from "./html";
import type { Model } from "./model";
import { Chart } from "./uplotchart";
import { isLive, maxPointsFor, presetForAge, REFRESH_MS, resolve, shouldRefresh, TimeRangePicker, zoomTo } from "./timerange";
import { activeAlarmsOf, deviceAlarmList } from "./devicealarms";
import { element } from "./formdom";
import { DeviceItems } from "./deviceitems";

export interface DevicePageDeps {
  model: Model;
  /** Tells the map whether its pane shows (it skips work while hidden). */
  setMapVisible: (on: boolean) => void;
  /** The devices table's edit dialog. */
  edit: (d: Device) => void;
  /** Enables or disables monitoring (the devices table's path); reloads the inventory. */
  setEnabled: (d: Device, enabled: boolean) => Promise<void>;
  /** The console's alarm drawer, shown in `host`; false when the alarm is not active. */
  openAlarm: (id: AlarmId, host: HTMLElement, from: HTMLElement | null) => boolean;
  /** Closes the drawer and gives it back to the console. */
  closeAlarm: () => void;
  openAlarmId: () => AlarmId | null;
}

/** What the device page offers main.ts: redraw when the model changes. */
export interface DevicePageHandle {
  alarmsChanged(): void;
  inventoryChanged(): void;
}

/** Live values (last seen, RTT) come from the model, which main.ts polls; redraw them this often. */
const LIVE_MS = 5000;

class DevicePage implements DevicePageHandle {
  private readonly view = element("view-device");
  private readonly tabViews = [element("view-monitor"), element("view-devices"), element("view-rules")];
  private readonly name = element("dp-name");
  private readonly pill = element("dp-state");
  private readonly identity = element("dp-identity");
  private readonly states = element("dp-states");
  private readonly interfaces = element("dp-interfaces");
  private readonly ifSelect = element<HTMLSelectElement>("dp-iface");
  private readonly chartsEl = element("dp-charts");
  /** Says why a device has only its latency chart, and what would add the others. */
  private readonly snmpPrompt = document.createElement("p");
  private readonly error = element("dp-error");
  private readonly alarmsEl = element("dp-alarms");
  private readonly alarmsTitle = element("dp-alarms-title");
  private readonly alarmHost = element("dp-alarm-detail");
  private readonly toggle = element<HTMLButtonElement>("dp-toggle");
  private readonly pollButton = element<HTMLButtonElement>("dp-poll");
  private readonly actionNote = element("dp-action-note");
  private readonly picker: TimeRangePicker;
  private readonly charts = new Map<string, { fig: HTMLElement; chart: Chart; spec?: ChartSpec }>();
  private readonly items = new DeviceItems(element("dp-items"));

  private id: string | null = null;
  private device: Device | null = null;
  /** What the agent last said about itself (sysName, sysDescr, sysObjectID). */
  private snmp: SnmpIdentityView | null = null;
  /** The interface asked for; null lets the service pick the busiest. */
  private ifIndex: number | null = null;
  /** Tab views that showed when the page opened, to restore on Back. */
  private restore: HTMLElement[] = [];
  /** Whether the hash was pushed from inside the app, so Back can pop it. */
  private pushed = false;
  /** Bumped per load; a response for an older one is dropped. */
  private generation = 0;
  /** Loads in flight; a timer refresh waits for them rather than piling up. */
  private loading = 0;

  constructor(private readonly deps: DevicePageDeps) {
    this.picker = new TimeRangePicker(element("dp-range"), element("dp-range-label"), () => void this.load());
    element("dp-back").addEventListener("click", () => this.back());
    this.pollButton.addEventListener("click", () => void this.pollNow());
    element("dp-edit").addEventListener("click", () => {
      if (this.device !== null) this.deps.edit(this.device);
    });
    this.toggle.addEventListener("click", () => void this.toggleEnabled());
    this.alarmsEl.addEventListener("click", (e) => this.onAlarmClick(e));
    this.ifSelect.addEventListener("change", () => {
      const n = Number.parseInt(this.ifSelect.value, 10);
      this.ifIndex = Number.isNaN(n) ? null : n;
      void this.load();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || this.view.hidden || document.querySelector("dialog[open]") !== null) return;
      e.preventDefault();
      this.back();
    });
    // Switching tabs while the page shows: main.ts shows that tab; this page just leaves.
    const tabs = document.querySelector(".tabs");
    tabs?.addEventListener("click", () => this.leave(false));
    tabs?.addEventListener("keydown", (e) => {
      if (e instanceof KeyboardEvent && (e.key === "ArrowLeft" || e.key === "ArrowRight")) this.leave(false);
    });
    window.addEventListener("hashchange", (e) => this.route(parseDeviceHash(new URL(e.oldURL).hash) === null));
    window.setInterval(() => {
      const due = shouldRefresh(this.picker.range, !this.view.hidden, document.visibilityState === "visible");
      if (due && this.loading === 0) void this.load();
    }, REFRESH_MS);
    window.setInterval(() => {
      this.renderLive();
      this.alarmsChanged();
    }, LIVE_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !this.view.hidden && isLive(this.picker.range)) void this.load();
    });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
      for (const c of this.charts.values()) c.chart.rebuild(c.spec);
    });
    this.route(false);
  }

  /** Opens or leaves the page for the current hash. */
  private route(fromApp: boolean): void {
    const id = parseDeviceHash(window.location.hash);
    if (id === null) {
      this.leave(true);
      return;
    }
    if (this.view.hidden) {
      this.restore = this.tabViews.filter((v) => !v.hidden);
      this.pushed = fromApp;
      for (const v of this.tabViews) v.hidden = true;
      this.view.hidden = false;
      this.deps.setMapVisible(false);
    }
    if (id !== this.id) {
      this.id = id;
      this.device = this.deps.model.devices.get(id) ?? null;
      this.snmp = null;
      this.ifIndex = null;
      this.actionNote.textContent = "";
      this.deps.closeAlarm();
      if (this.device !== null) {
        this.picker.set({ kind: "preset", key: presetForAge(Date.parse(this.device.createdAt), Date.now()) });
      }
      this.renderDevice();
      this.alarmsChanged();
      draw(this.states, nothing);
      draw(this.interfaces, html`<p class="muted">Loading…</p>`);
    }
    element("dp-back").focus();
    void this.load();
  }

  /** Back to the view the page was opened from. */
  private back(): void {
    if (this.pushed) window.history.back();
    else this.leave(true);
  }

  private leave(restore: boolean): void {
    if (this.view.hidden) return;
    if (parseDeviceHash(window.location.hash) !== null) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    this.view.hidden = true;
    this.id = null;
    void this.items.load(null);
    this.deps.closeAlarm();
    document.title = "Meridian";
    this.generation++;
    if (restore) {
      const views = this.restore.length > 0 ? this.restore : this.tabViews.slice(0, 1);
      for (const v of views) v.hidden = false;
      this.deps.setMapVisible(!element("view-monitor").hidden);
    }
  }

  private async load(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    this.loading++;
    const g = ++this.generation;
    const { from, to } = resolve(this.picker.range, Date.now());
    const maxPoints = maxPointsFor(this.chartsEl.clientWidth || 800);
    try {
      const [device, history, ifaces, snmp] = await Promise.all([
        api.showDevice(id),
        api.deviceHistory(id, from.toISOString(), to.toISOString(), maxPoints, this.ifIndex),
        api.deviceInterfaces(id),
        api.deviceIdentity(id),
      ]);
      if (g !== this.generation) return;
      draw(this.error, nothing);
      this.device = device;
      this.snmp = snmp;
      this.renderDevice();
      draw(this.states, statesList(history.states));
      draw(this.interfaces, interfacesTable(ifaces, history.ifIndex));
      draw(this.ifSelect, interfaceOptions(ifaces, history.ifIndex));
      this.ifSelect.disabled = ifaces.length === 0;
      this.renderCharts(chartSpecs(history), from.getTime() / 1000, to.getTime() / 1000);
      void this.items.load(id);
    } catch (err) {
      if (g !== this.generation) return;
      draw(this.error, errorBanner(toApiError(err)));
    } finally {
      this.loading--;
    }
  }

  private renderDevice(): void {
    const d = this.device;
    this.name.textContent = d?.name ?? "Unknown device";
    document.title = d === null ? "Meridian" : `${d.name} — Meridian`;
    const enabled = d?.enabled ?? true;
    this.toggle.textContent = enabled ? "Disable monitoring" : "Enable monitoring";
    this.pollButton.disabled = d === null || !enabled;
    this.pollButton.title = enabled ? "Ping it now, and poll SNMP when it has a credential" : "Monitoring is disabled for this device";
    this.renderLive();
  }

  /** The model's alarms changed: redraw this device's. */
  alarmsChanged(): void {
    if (this.view.hidden || this.id === null) return;
    const alarms = activeAlarmsOf(this.deps.model.alarms.values(), this.id);
    this.alarmsTitle.textContent = alarms.length === 0 ? "Active alarms" : `Active alarms (${alarms.length})`;
    draw(this.alarmsEl, deviceAlarmList(alarms, this.deps.openAlarmId(), Date.now()));
  }

  /** The inventory was reloaded (e.g. after Edit or Disable): take the new copy of the device. */
  inventoryChanged(): void {
    if (this.view.hidden || this.id === null) return;
    const d = this.deps.model.devices.get(this.id);
    if (d === undefined) return;
    this.device = d;
    this.renderDevice();
  }

  private onAlarmClick(e: MouseEvent): void {
    const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button[data-alarm]") : null;
    const id = b?.dataset["id"];
    if (b === null || id === undefined) return;
    if (!this.deps.openAlarm(id, this.alarmHost, b)) return;
    // Acknowledge…: straight to the drawer's comment box (Enter acknowledges).
    if (b.dataset["alarm"] === "ack") this.alarmHost.querySelector<HTMLInputElement>("#drawer-ack-comment")?.focus();
    this.alarmsChanged();
  }

  private async pollNow(): Promise<void> {
    const d = this.device;
    if (d === null) return;
    this.pollButton.disabled = true;
    this.actionNote.textContent = "Polling…";
    try {
      await api.pollDeviceNow(d.id);
      // The answer arrives like any poll's: state and live values on the next refresh.
      this.actionNote.textContent = "Poll requested: results show within seconds.";
      window.setTimeout(() => void this.load(), 3000);
    } catch (err) {
      const e = toApiError(err);
      this.actionNote.textContent = `Cannot poll: ${e.fields[0]?.message ?? e.detail}`;
    } finally {
      this.pollButton.disabled = !(this.device?.enabled ?? false);
    }
  }

  private async toggleEnabled(): Promise<void> {
    const d = this.device;
    if (d === null) return;
    this.toggle.disabled = true;
    try {
      // The inventory reload that follows brings the new state (inventoryChanged).
      await this.deps.setEnabled(d, !d.enabled);
    } finally {
      this.toggle.disabled = false;
    }
  }

  private renderLive(): void {
    if (this.view.hidden || this.id === null) return;
    const live = this.deps.model.live.get(this.id);
    const state = stateOf(live);
    const stale = live?.stale ?? false;
    this.pill.className = `state-pill st-${state}${stale ? " stale" : ""}`;
    this.pill.textContent = stale ? `${state} (last known)` : state;
    this.pill.title = stale ? STALE_TITLE : "";
    draw(this.identity, this.device === null ? nothing : identity(this.device, live, Date.now(), this.snmp));
  }

  private renderCharts(specs: ChartSpec[], fromSec: number, toSec: number): void {
    const keys = new Set(specs.map((s) => s.key));
    this.renderSnmpPrompt(!keys.has("traffic") && !keys.has("cpu"));
    for (const [key, c] of this.charts) {
      if (keys.has(key)) continue;
      c.chart.destroy();
      c.fig.remove();
      this.charts.delete(key);
    }
    for (const spec of specs) {
      let c = this.charts.get(spec.key);
      if (c === undefined) {
        const fig = document.createElement("figure");
        fig.className = "dp-chart";
        // Static markup: the caption's text is set below, outside lit's bindings.
        draw(fig, html`<figcaption></figcaption><div class="dp-plot"></div><p class="dp-nodata muted">No samples in this range.</p>`);
        this.chartsEl.append(fig);
        const plot = fig.querySelector<HTMLElement>(".dp-plot") ?? fig;
        const chart = new Chart(plot, (f, t) => this.zoom(f, t));
        c = { fig, chart };
        this.charts.set(spec.key, c);
      }
      c.spec = spec;
      const caption = c.fig.querySelector("figcaption");
      if (caption !== null) caption.textContent = spec.title;
      c.fig.classList.toggle("empty", !hasData(spec));
      c.chart.set(spec, fromSec, toSec).catch((err: unknown) => {
        draw(this.error, `Charts are unavailable: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
  }

  private renderSnmpPrompt(show: boolean): void {
    if (!show) {
      this.snmpPrompt.remove();
      return;
    }
    this.snmpPrompt.className = "dp-prompt muted";
    const polled = this.device?.credentialName != null;
    draw(
      this.snmpPrompt,
      polled
        ? html`No SNMP data yet: traffic, CPU and memory charts appear once the agent answers a poll.`
        : html`This device is watched by ping only. Give it an SNMP credential (Devices → Edit) to chart its traffic, CPU and memory.`,
    );
    this.chartsEl.append(this.snmpPrompt);
  }

  private zoom(fromSec: number, toSec: number): void {
    const r = zoomTo(fromSec, toSec);
    if (r === null) return;
    this.picker.set(r);
    void this.load();
  }
}

/** Wires the device page to the hash (`#/device/<id>`); call once at start-up. */
export function setupDevicePage(deps: DevicePageDeps): DevicePageHandle {
  return new DevicePage(deps);
}
