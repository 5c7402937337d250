// Entry point: loads the model through the shell's commands, keeps it live
// with the forwarded CoreEvents, and draws the map, the alarm console and the
// device table from it.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Alarm, ApiError, CoreEvent, Device, DeviceId, DeviceLive, Severity, Site } from "./generated/bindings";
import { countBySeverity, sortAlarms, worstSeverityByDevice } from "./alarms";
import { AlarmConsole } from "./console";
import { escapeHtml, renderDevices, renderError, toApiError } from "./devices";
import { deviceInputFromForm, fieldMessages } from "./inventory";
import { DeviceMap } from "./map";
import type { Changes } from "./model";
import { applyEvent, byId, deviceLocation, emptyModel, liveById, mergeChanges, NO_CHANGES } from "./model";
import { severityCountsHtml, summaryLine, unlocatedHtml } from "./render";
import "./style.css";

/** An ApiError as a thrown Error, so UI code can show `message` and keep the details. */
class ApiFailure extends Error {
  constructor(readonly api: ApiError) {
    super(`${api.kind}: ${api.detail}`);
  }
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw new ApiFailure(toApiError(err));
  }
}

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

const LIVE_REFRESH_MS = 5000;
const ALARM_LIMIT = 100_000;

const model = emptyModel();
let sortedAlarms: Alarm[] = [];
let worst: ReadonlyMap<DeviceId, Severity> = new Map();
let dirty: Changes = { alarms: true, devices: true, reloadInventory: false };
let frame = 0;
/** Events that arrive while a full load is in flight, applied after it. */
let buffered: CoreEvent[] | null = null;
let lastSummary = "";

const banner = element("banner");
const countsEl = element("severity-counts");
const unlocatedEl = element("unlocated");
const devicesBody = element("devices-body");
const siteNames = element("site-names");
const addForm = element<HTMLFormElement>("add-device-form");
const map = new DeviceMap(element("map"));
const alarmConsole = new AlarmConsole(
  {
    list: element("alarm-list"),
    search: element<HTMLInputElement>("console-search"),
    count: element("console-count"),
    empty: element("console-empty"),
    error: element("console-error"),
    ackForm: element<HTMLFormElement>("ack-form"),
    ackWhat: element("ack-what"),
    ackComment: element<HTMLInputElement>("ack-comment"),
    ackCancel: element<HTMLButtonElement>("ack-cancel"),
  },
  {
    async ack(id, comment) {
      const alarm = await call<Alarm>("ack_alarm", { id, comment });
      changed(applyEvent(model, { type: "alarmAcknowledged", alarm }));
    },
    async clear(id) {
      const alarm = await call<Alarm>("clear_alarm", { id });
      changed(applyEvent(model, { type: "alarmCleared", alarm }));
    },
  },
);

function deviceName(id: DeviceId): string | undefined {
  return model.devices.get(id)?.name;
}

function changed(c: Changes): void {
  dirty = mergeChanges(dirty, c);
  if (c.reloadInventory) void reloadInventory();
  if (frame === 0) frame = requestAnimationFrame(render);
}

function render(): void {
  frame = 0;
  const d = dirty;
  dirty = { ...NO_CHANGES };
  if (d.alarms) {
    sortedAlarms = sortAlarms(model.alarms.values());
    worst = worstSeverityByDevice(sortedAlarms);
    alarmConsole.setAlarms(sortedAlarms, deviceName);
  }
  countsEl.innerHTML = severityCountsHtml(countBySeverity(sortedAlarms), alarmConsole.selectedSeverities);
  const stats = map.update(model, worst);
  const devices = [...model.devices.values()];
  const unlocated = devices.filter((dev) => deviceLocation(dev, model.sites) === null);
  unlocatedEl.innerHTML = unlocatedHtml(unlocated, model.live);
  unlocatedEl.hidden = unlocated.length === 0;
  if (d.devices) {
    devicesBody.innerHTML = renderDevices(devices, model.live);
    siteNames.innerHTML = [...model.sites.values()].map((s) => `<option value="${escapeHtml(s.name)}"></option>`).join("");
  }
  report(
    summaryLine({
      devices: devices.length,
      markers: stats.markers,
      byColour: stats.byColour,
      unlocated: unlocated.length,
      counts: countBySeverity(sortedAlarms),
      alarms: sortedAlarms.length,
      acked: sortedAlarms.filter((a) => a.ackedAt !== null).length,
      rows: alarmConsole.renderedRows,
    }),
  );
}

/** Test hook: the shell logs what was drawn, so the desktop test can wait for it. */
function report(summary: string): void {
  if (summary === lastSummary) return;
  lastSummary = summary;
  // Markers live on a canvas; WebDriver tests read the same counts here.
  document.body.dataset["rendered"] = summary;
  void invoke("ui_rendered", { summary }).catch(() => undefined);
}

function showError(err: unknown): void {
  banner.innerHTML = renderError(err instanceof ApiFailure ? err.api : toApiError(err));
}

async function reloadAll(): Promise<void> {
  buffered = [];
  try {
    const [devices, sites, alarms, live] = await Promise.all([
      call<Device[]>("list_devices"),
      call<Site[]>("list_sites"),
      call<Alarm[]>("list_alarms", { activeOnly: true, limit: ALARM_LIMIT }),
      call<DeviceLive[]>("device_live"),
    ]);
    model.devices = byId(devices);
    model.sites = byId(sites);
    model.alarms = byId(alarms);
    model.live = liveById(live);
  } finally {
    const events = buffered ?? [];
    buffered = null;
    for (const ev of events) applyEvent(model, ev);
    changed({ alarms: true, devices: true, reloadInventory: false });
  }
}

let inventoryLoading = false;
async function reloadInventory(): Promise<void> {
  if (inventoryLoading) return;
  inventoryLoading = true;
  try {
    const [devices, sites] = await Promise.all([call<Device[]>("list_devices"), call<Site[]>("list_sites")]);
    model.devices = byId(devices);
    model.sites = byId(sites);
    changed({ alarms: true, devices: true, reloadInventory: false });
  } catch (err) {
    showError(err);
  } finally {
    inventoryLoading = false;
  }
}

/** RTT, loss and last-seen change on every poll without an event; poll them. */
async function refreshLive(): Promise<void> {
  try {
    model.live = liveById(await call<DeviceLive[]>("device_live"));
    changed({ alarms: false, devices: true, reloadInventory: false });
    alarmConsole.refreshRows();
  } catch {
    // A transient failure shows on the next full load; keep the last values.
  }
}

function setupTabs(): void {
  const tabs = [element<HTMLButtonElement>("tab-monitor"), element<HTMLButtonElement>("tab-devices")];
  const select = (tab: HTMLButtonElement): void => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = element(t.getAttribute("aria-controls") ?? "");
      panel.hidden = !on;
    }
    if (tab === tabs[0]) map.invalidateSize();
  };
  tabs.forEach((t, i) => {
    t.addEventListener("click", () => select(t));
    t.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      if (next !== undefined) {
        select(next);
        next.focus();
      }
    });
  });
  countsEl.addEventListener("click", (e) => {
    const b = e.target instanceof Element ? e.target.closest("button[data-severity]") : null;
    if (!(b instanceof HTMLButtonElement)) return;
    alarmConsole.toggleSeverity(b.dataset["severity"] as Severity);
    changed({ ...NO_CHANGES });
  });
}

const FORM_FIELDS = ["name", "address", "site", "lat", "lon", "tags"] as const;

function showFieldErrors(messages: ReadonlyMap<string, string[]>): void {
  for (const el of addForm.querySelectorAll<HTMLElement>("[data-error-for]")) {
    const key = el.dataset["errorFor"] ?? "";
    el.textContent = (messages.get(key) ?? []).join("; ");
    const input = key === "" ? null : addForm.elements.namedItem(key);
    if (input instanceof HTMLInputElement) input.setAttribute("aria-invalid", String(messages.has(key)));
  }
  const first = FORM_FIELDS.find((f) => messages.has(f));
  const input = first === undefined ? null : addForm.elements.namedItem(first);
  if (input instanceof HTMLInputElement) input.focus();
}

function setupInventory(): void {
  addForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = (name: string): string => {
      const el = addForm.elements.namedItem(name);
      return el instanceof HTMLInputElement ? el.value : "";
    };
    const parsed = deviceInputFromForm({
      name: value("name"),
      address: value("address"),
      site: value("site"),
      lat: value("lat"),
      lon: value("lon"),
      tags: value("tags"),
    });
    if ("errors" in parsed) {
      showFieldErrors(fieldMessages({ kind: "validation", detail: "", fields: parsed.errors }, FORM_FIELDS));
      return;
    }
    void call<Device>("add_device", { input: parsed.input })
      .then(() => {
        addForm.reset();
        showFieldErrors(new Map());
        changed({ alarms: false, devices: true, reloadInventory: true });
      })
      .catch((err: unknown) =>
        showFieldErrors(fieldMessages(err instanceof ApiFailure ? err.api : toApiError(err), FORM_FIELDS)),
      );
  });
  // Remove asks once more on the same button (no window.confirm in every WebKit).
  devicesBody.addEventListener("click", (e) => {
    const b = e.target instanceof Element ? e.target.closest("button[data-action=remove]") : null;
    if (!(b instanceof HTMLButtonElement)) return;
    const id = b.dataset["id"];
    if (id === undefined) return;
    if (b.dataset["confirm"] !== "1") {
      b.dataset["confirm"] = "1";
      b.textContent = "Confirm remove";
      window.setTimeout(() => {
        if (b.isConnected) {
          delete b.dataset["confirm"];
          b.textContent = "Remove";
        }
      }, 4000);
      return;
    }
    b.disabled = true;
    void call<Device>("remove_device", { key: id })
      .then(() => changed({ alarms: false, devices: true, reloadInventory: true }))
      .catch(showError);
  });
}

async function start(): Promise<void> {
  map.refreshTheme();
  map.invalidateSize();
  setupTabs();
  setupInventory();
  try {
    // If the service could not open (e.g. another process holds the data
    // directory), the shell says why instead of serving data.
    const startup = await invoke<ApiError | null>("startup_error");
    if (startup !== null) {
      banner.innerHTML = renderError(startup);
      element("view-monitor").hidden = true;
      return;
    }
    // Listen before loading so nothing between the load and the listener is lost.
    await listen<CoreEvent>("core-event", (e) => {
      if (buffered !== null) buffered.push(e.payload);
      else changed(applyEvent(model, e.payload));
    });
    await listen<number>("core-event-lagged", () => void reloadAll().catch(showError));
    await reloadAll();
    const monitorError = await invoke<ApiError | null>("monitor_error");
    banner.innerHTML =
      monitorError === null ? "" : renderError({ ...monitorError, detail: `monitoring is off: ${monitorError.detail}` });
    window.setInterval(() => void refreshLive(), LIVE_REFRESH_MS);
  } catch (err) {
    showError(err);
  }
}

// Start once the stylesheet has applied: the map reads its colours and size from it.
if (document.readyState === "complete") void start();
else window.addEventListener("load", () => void start(), { once: true });
