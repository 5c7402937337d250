// The device page (#/device/<id>): identity and live values, state history,
// interfaces with their current rates, and charts over a chosen time range.
// It owns <main id="view-device">; opening it hides the tab views and Back
// (or Escape) shows the one that was open. A range ending now is fetched
// again every 30 s while the page shows; a zoomed-in window is not.
import type { Device } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { chartSpecs, hasData, type ChartSpec } from "./charts";
import { identity, interfaceOptions, interfacesTable, parseDeviceHash, stateOf, statesList } from "./devicehtml";
import { errorBanner } from "./devices";
import { draw, html, nothing } from "./html";
import type { Model } from "./model";
import { Chart } from "./uplotchart";
import { isLive, maxPointsFor, REFRESH_MS, resolve, shouldRefresh, TimeRangePicker, zoomTo } from "./timerange";
import { element } from "./formdom";

export interface DevicePageDeps {
  model: Model;
  /** Tells the map whether its pane shows (it skips work while hidden). */
  setMapVisible: (on: boolean) => void;
}

/** Live values (last seen, RTT) come from the model, which main.ts polls; redraw them this often. */
const LIVE_MS = 5000;

class DevicePage {
  private readonly view = element("view-device");
  private readonly tabViews = [element("view-monitor"), element("view-devices")];
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
  private readonly picker: TimeRangePicker;
  private readonly charts = new Map<string, { fig: HTMLElement; chart: Chart; spec?: ChartSpec }>();

  private id: string | null = null;
  private device: Device | null = null;
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
    window.setInterval(() => this.renderLive(), LIVE_MS);
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
      this.ifIndex = null;
      this.renderDevice();
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
      const [device, history, ifaces] = await Promise.all([
        api.showDevice(id),
        api.deviceHistory(id, from.toISOString(), to.toISOString(), maxPoints, this.ifIndex),
        api.deviceInterfaces(id),
      ]);
      if (g !== this.generation) return;
      draw(this.error, nothing);
      this.device = device;
      this.renderDevice();
      draw(this.states, statesList(history.states));
      draw(this.interfaces, interfacesTable(ifaces, history.ifIndex));
      draw(this.ifSelect, interfaceOptions(ifaces, history.ifIndex));
      this.ifSelect.disabled = ifaces.length === 0;
      this.renderCharts(chartSpecs(history), from.getTime() / 1000, to.getTime() / 1000);
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
    this.renderLive();
  }

  private renderLive(): void {
    if (this.view.hidden || this.id === null) return;
    const live = this.deps.model.live.get(this.id);
    const state = stateOf(live);
    this.pill.className = `state-pill st-${state}`;
    this.pill.textContent = state;
    draw(this.identity, this.device === null ? nothing : identity(this.device, live, Date.now()));
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
export function setupDevicePage(deps: DevicePageDeps): void {
  new DevicePage(deps);
}
