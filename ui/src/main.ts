// Entry point: loads the model through the shell's commands, keeps it live
// with the forwarded CoreEvents, and draws the map, the alarm console and the
// device table from it. Work is proportional to change: events and polls are
// coalesced into one render per animation frame, a state change touches only
// that device's marker and row, and hidden views are not drawn.
import type { Alarm, CoreEvent, Device, DeviceId, Severity } from "./generated/bindings";
import { api, inTauri, onCoreEvent, onEventsLagged } from "./api";
import { toApiError } from "./apierror";
import { countBySeverity, sortAlarms, worstSeverityByDevice } from "./alarms";
import { FrameBatch } from "./batch";
import { AlarmConsole } from "./console";
import { setMapFocus } from "./mapfocus";
import { errorBanner } from "./devices";
import { draw, html } from "./html";
import { discoveryEvent, setupDiscovery } from "./discovery-dialog";
import { InventoryView } from "./inventoryview";
import { DeviceMap } from "./map";
import { startLinkFeed } from "./linkfeed";
import { FloorPlanView } from "./planview";
import { notOnMapList } from "./unlocated";
import type { Changes, PendingChanges } from "./model";
import { applyEvent, byId, deviceLocation, diffLive, emptyModel, liveById, mergeInto, noChanges } from "./model";
import { severityCounts, summaryLine } from "./render";
import { setupMute } from "./mute";
import { setupNotifyHealth } from "./notifyhealth";
import type { MaintenanceScreen } from "./maintview";
import type { NotificationsScreen } from "./notifyview";
import type { EventsScreen } from "./eventsview";
import type { TimingScreen } from "./timingview";
import { RulesView } from "./rulesview";
import { setupDevicePage, type DevicePageHandle } from "./devicepage";
import { element } from "./formdom";
import { formatTime } from "./format";
import { countStates, stateSummary } from "./headerstatus";
import { blockBrowserMenuInRelease } from "./contextmenu";
import { unlockVaultIfNeeded } from "./unlock";
import { tileLayerSpec } from "./tiles";
import { MapTilesForm } from "./tilesform";
import "./style.css";

const LIVE_REFRESH_MS = 5000;
const ALARM_LIMIT = 100_000;

const model = emptyModel();
let sortedAlarms: Alarm[] = [];
let worst: ReadonlyMap<DeviceId, Severity> = new Map();
let severityCountsNow = countBySeverity([]);
let ackedCount = 0;
/** Devices the map cannot place, by name; recomputed on inventory changes only. */
let unlocated: Device[] = [];
let unlocatedIds = new Set<DeviceId>();
/** The device table is drawn only while its tab shows; until then it is stale. */
let tableStale = true;
/** Events that arrive while a full load is in flight, applied after it. */
let buffered: CoreEvent[] | null = null;
let lastSummary = "";

const banner = element("banner");
const liveStatus = element("live-status");
const countsEl = element("severity-counts");
const summaryEl = element("status-summary");
const unlocatedEl = element("unlocated");
const siteNames = element("site-names");
const map = new DeviceMap(element("map"));
const plans = new FloorPlanView(
  {
    select: element<HTMLSelectElement>("map-view"),
    tools: element("plan-tools"),
    file: element<HTMLInputElement>("plan-file"),
    remove: element<HTMLButtonElement>("plan-remove"),
    error: element("plan-error"),
    world: element("map"),
    area: element("plan-area"),
    plan: element("plan"),
    empty: element("plan-empty"),
    unplaced: element("plan-unplaced"),
  },
  map,
);
const alarmConsole = new AlarmConsole(
  {
    list: element("alarm-list"),
    search: element<HTMLInputElement>("console-search"),
    ackState: element<HTMLSelectElement>("console-ack"),
    site: element<HTMLSelectElement>("console-site"),
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
      const alarm = await api.ackAlarm(id, comment);
      changed(applyEvent(model, { type: "alarmAcknowledged", alarm }));
    },
    async clear(id) {
      const alarm = await api.clearAlarm(id);
      changed(applyEvent(model, { type: "alarmCleared", alarm }));
    },
  },
);

// "Show on map" (alarm drawer): the Map & alarms tab, then the device centred with its popup open.
setMapFocus((id) => {
  element("tab-monitor").click();
  return map.focusDevice(id);
});

function deviceSite(id: DeviceId): string | undefined {
  return model.devices.get(id)?.siteId ?? undefined;
}

function deviceName(id: DeviceId): string | undefined {
  return model.devices.get(id)?.name;
}

/**
 * At most one render per frame, and during a burst (the first poll round
 * brings one event per device) at most four a second: every render repaints,
 * and a repaint is what costs without a GPU.
 */
const RENDER_INTERVAL_MS = 250;
const frames = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, render, RENDER_INTERVAL_MS);

function changed(c: Changes): void {
  if (c.reloadInventory) void reloadInventory();
  frames.add(c);
}

const monitorView = element("view-monitor");
const rulesView = new RulesView();
// The Maintenance and Notifications tabs are their own chunks, fetched and
// built the first time their tab is chosen, so the first paint neither
// downloads nor parses them.
let maintView: MaintenanceScreen | null = null;
let notifyView: NotificationsScreen | null = null;
let eventsView: EventsScreen | null = null;
let reportsView: import("./reportsview").ReportsScreen | null = null;

async function showReports(): Promise<void> {
  reportsView ??= new (await import("./reportsview")).ReportsScreen();
  await reportsView.show();
}
let timingView: TimingScreen | null = null;
let systemView: import("./systemview").SystemScreen | null = null;
let adminView: import("./adminview").AdminScreen | null = null;

/** In a browser against the team server (else the desktop's Tauri shell). */
const web = !inTauri();

/** Whether the signed-in web user is an admin (the Admin tab's scope). */
let webAdmin = false;

async function showAdmin(): Promise<void> {
  adminView ??= new (await import("./adminview")).AdminScreen(element("view-admin"), webAdmin);
  await adminView.show();
}

async function showSystem(): Promise<void> {
  systemView ??= new (await import("./systemview")).SystemScreen();
  await systemView.show();
}

async function showMaintenance(): Promise<void> {
  maintView ??= new (await import("./maintview")).MaintenanceScreen();
  await maintView.show();
}

async function showNotifications(): Promise<void> {
  notifyView ??= new (await import("./notifyview")).NotificationsScreen();
  // Left while the chunk loaded: the log must not start refreshing unseen.
  if (!element("view-notify").hidden) await notifyView.show();
}

async function showEvents(): Promise<void> {
  eventsView ??= new (await import("./eventsview")).EventsScreen();
  // Left while the chunk loaded: the table must not start refreshing unseen.
  if (!element("view-events").hidden) await eventsView.show();
}
async function showTiming(): Promise<void> {
  timingView ??= new (await import("./timingview")).TimingScreen();
  if (!element("view-timing").hidden) await timingView.show();
}
const devicesView = element("view-devices");

function renderCounts(): void {
  draw(countsEl, severityCounts(severityCountsNow, alarmConsole.selectedSeverities));
}

/** "44 up · 1 down · 2 unknown" in the header. */
function renderStatusSummary(): void {
  const text = stateSummary(countStates(model.devices.values(), model.live));
  if (summaryEl.textContent !== text) summaryEl.textContent = text;
}

function renderUnlocated(): void {
  draw(unlocatedEl, notOnMapList(unlocated, model.live));
  unlocatedEl.hidden = unlocated.length === 0;
}

function renderTable(): void {
  tableStale = false;
  inventoryView?.table.setData(model.devices, model.sites);
}

/** A few states or worst alarms changed: update those rows in place. */
function updateStatePills(ids: ReadonlySet<DeviceId>): void {
  if (ids.size > 200) {
    tableStale = true;
    return;
  }
  inventoryView?.table.updateRows(ids);
}

/** One frame's worth of changes. */
function render(d: PendingChanges): void {
  const touched = d.touched;
  if (d.alarms) {
    sortedAlarms = sortAlarms(model.alarms.values());
    const before = worst;
    worst = worstSeverityByDevice(sortedAlarms);
    for (const [id, s] of worst) if (before.get(id) !== s) touched.add(id);
    for (const id of before.keys()) if (!worst.has(id)) touched.add(id);
    severityCountsNow = countBySeverity(sortedAlarms);
    ackedCount = sortedAlarms.filter((a) => a.ackedAt !== null).length;
    alarmConsole.setAlarms(sortedAlarms, deviceName, deviceSite);
    renderCounts();
    devicePage?.alarmsChanged();
  }
  if (d.devices) {
    map.setDevices(model, worst);
    plans.setDevices(model, worst);
    unlocated = [...model.devices.values()].filter((dev) => deviceLocation(dev, model.sites) === null);
    unlocatedIds = new Set(unlocated.map((dev) => dev.id));
    renderUnlocated();
    draw(siteNames, [...model.sites.values()].map((s) => html`<option value=${s.name}></option>`));
    inventoryView?.setSites([...model.sites.values()]);
    inventoryView?.devicesChanged();
    alarmConsole.setSites(model.sites.values());
    devicePage?.inventoryChanged();
    tableStale = true;
  } else if (touched.size > 0) {
    map.updateDevices(touched, model, worst);
    plans.updateDevices(touched, model, worst);
    if ([...touched].some((id) => unlocatedIds.has(id))) renderUnlocated();
    if (!tableStale) updateStatePills(touched);
  }
  if (tableStale && !devicesView.hidden) renderTable();
  if (d.devices || touched.size > 0) renderStatusSummary();
  const stats = map.currentStats;
  report(
    summaryLine({
      devices: model.devices.size,
      markers: stats.markers,
      byColour: stats.byColour,
      unlocated: unlocated.length,
      counts: severityCountsNow,
      alarms: sortedAlarms.length,
      acked: ackedCount,
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
  void api.uiRendered(summary);
}

function showError(err: unknown): void {
  draw(banner, errorBanner(toApiError(err)));
}

async function reloadAll(): Promise<void> {
  buffered = [];
  if (!web) void inventoryView?.reloadCredentials();
  try {
    const inventory = Promise.all([api.listDevices(), api.listSites()]);
    const status = Promise.all([
      api.listAlarms(true, ALARM_LIMIT),
      api.deviceLive(),
    ]);
    status.catch(() => undefined); // awaited below; no unhandled rejection if the inventory fails first
    // Draw the devices as soon as they are known (the store may be busy with
    // the monitor's first round); alarms and live state fold in when they come.
    const [devices, sites] = await inventory;
    model.devices = byId(devices);
    model.sites = byId(sites);
    changed({ alarms: false, devices: true, touched: new Set(), reloadInventory: false });
    const [alarms, live] = await status;
    model.alarms = byId(alarms);
    model.live = liveById(live);
  } finally {
    const events = buffered ?? [];
    buffered = null;
    for (const ev of events) applyEvent(model, ev);
    changed({ alarms: true, devices: true, touched: new Set(), reloadInventory: false });
  }
}

let inventoryLoading = false;
async function reloadInventory(): Promise<void> {
  if (inventoryLoading) return;
  inventoryLoading = true;
  if (!web) void inventoryView?.reloadCredentials();
  try {
    const [devices, sites] = await Promise.all([api.listDevices(), api.listSites()]);
    model.devices = byId(devices);
    model.sites = byId(sites);
    changed({ alarms: true, devices: true, touched: new Set(), reloadInventory: false });
  } catch (err) {
    showError(err);
  } finally {
    inventoryLoading = false;
  }
}

let liveInFlight = false;

/**
 * The header says when live values were last fetched (or that fetching
 * failed), so stale data is visible. To the minute: without a GPU every
 * repaint costs, and a quiet network should cost nothing. Under WebDriver
 * (navigator.webdriver) it shows seconds, so the page repaints on every
 * poll: WebKit's WebDriver waits for a repaint before a screenshot or an
 * element action, and a page that never repaints stalls the desktop tests.
 */
function showLiveStatus(ok: boolean): void {
  const time = formatTime(new Date(), { seconds: navigator.webdriver });
  // "updated" folds away in a narrow window (style.css); a failure always says so.
  draw(liveStatus, ok ? html`<span class="live-word">updated </span>${time}` : `update failed ${time}`);
  liveStatus.classList.toggle("failed", !ok);
}

/**
 * RTT, loss and last seen change on every poll without an event; poll them,
 * but only while the window shows, one call at a time, and redraw only what
 * differs: a state change touches its marker and row, other values only an
 * open popup. A quiet network costs one IPC call and a diff every 5 s.
 */
async function refreshLive(): Promise<void> {
  if (liveInFlight || buffered !== null || document.visibilityState === "hidden") return;
  liveInFlight = true;
  try {
    const diff = diffLive(model.live, await api.deviceLive());
    model.live = diff.live;
    showLiveStatus(true);
    if (diff.states.size > 0) changed({ alarms: false, devices: false, touched: diff.states, reloadInventory: false });
    if (diff.states.size + diff.details.size > 0) map.refreshPopup(new Set([...diff.states, ...diff.details]));
    // The devices table's last-seen column changes without a state change: update
    // its rows while it shows, else rebuild it when it is shown again.
    if (diff.details.size > 0) {
      if (devicesView.hidden) tableStale = true;
      else if (!tableStale) inventoryView?.table.updateRows(diff.details);
    }
    // Relative times ("12 s ago") in the visible alarm rows.
    if (!monitorView.hidden) alarmConsole.refreshRows();
  } catch {
    // A transient failure shows on the next full load; keep the last values.
    showLiveStatus(false);
  } finally {
    liveInFlight = false;
  }
}

function setupTabs(): void {
  // Every tab index.html has, plus the web console's Admin tab; hidden ones
  // (desktop-only screens in a browser) are skipped by the arrow keys.
  const tabs = [...document.querySelectorAll<HTMLButtonElement>(".tabs > [role=tab]")].filter((t) => !t.hidden);
  const select = (tab: HTMLButtonElement): void => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = element(t.getAttribute("aria-controls") ?? "");
      panel.hidden = !on;
    }
    map.setVisible(!monitorView.hidden);
    if (!devicesView.hidden && tableStale) renderTable();
    if (tab.id === "tab-rules") void rulesView.show();
    if (tab.id === "tab-maint") void showMaintenance().catch(showError);
    if (tab.id === "tab-notify") void showNotifications().catch(showError);
    else notifyView?.hide();
    if (tab.id === "tab-events") void showEvents().catch(showError);
    else eventsView?.hide();
    if (tab.id === "tab-reports") void showReports().catch(showError);
    if (tab.id === "tab-timing") void showTiming().catch(showError);
    if (tab.id === "tab-system") void showSystem().catch(showError);
    else systemView?.hide();
    if (tab.id === "tab-admin") void showAdmin().catch(showError);
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
    renderCounts();
    changed(noChanges());
  });
}

/** The device page (#/device/<id>), told when alarms or the inventory change. */
let devicePage: DevicePageHandle | null = null;

/** The inventory forms (add/edit/remove devices, sites, credentials); see inventoryview.ts. */
let inventoryView: InventoryView | null = null;

function setupInventory(): void {
  inventoryView = new InventoryView({
    devices: () => model.devices,
    live: () => model.live,
    worst: () => worst,
    changed: () => changed({ alarms: false, devices: true, touched: new Set(), reloadInventory: true }),
    showError,
  });
}

/** The opt-in tile server: its form (System tab) and the map. A desktop setting; the web console keeps the offline map. */
function setupMapTiles(): void {
  if (web) {
    element("tiles-section").hidden = true;
    return;
  }
  const form = new MapTilesForm(element<HTMLFormElement>("tiles-form"), element("tiles-now"), {
    load: api.mapTiles,
    save: api.setMapTiles,
    apply: (t) => map.setTiles(tileLayerSpec(t)),
  });
  void form.load();
}

async function start(): Promise<void> {
  if (web) {
    // The HTTP transport, the login page until a session holds, then the web shell.
    const { signIn, setupWebShell, addAdminTab } = await import("./webconsole");
    const me = await signIn();
    setupWebShell(me);
    webAdmin = me.role === "admin";
    addAdminTab(webAdmin);
  }
  blockBrowserMenuInRelease(document);
  map.refreshTheme();
  map.invalidateSize();
  setupTabs();
  setupInventory();
  // Desktop notifications are the desktop's own.
  if (!web) {
    setupMute();
    setupNotifyHealth(element("notify-banner"), () => element<HTMLButtonElement>("tab-notify").click());
  }
  setupDiscovery({ deviceName });
  devicePage = setupDevicePage({
    model,
    setMapVisible: (on) => map.setVisible(on),
    edit: (d) => inventoryView?.editDevice(d),
    setEnabled: async (d, on) => inventoryView?.setEnabled(d, on),
    openAlarm: (id, host, from) => alarmConsole.openDetailIn(id, host, from),
    closeAlarm: () => alarmConsole.closeDetail(),
    openAlarmId: () => alarmConsole.openAlarm,
  });
  try {
    // The shell opens the store while this page loads; the first command
    // answers once it is open. If it could not open (e.g. another process
    // holds the data directory), the shell says why instead of serving data.
    draw(banner, "Opening the data store…");
    const startup = await api.startupError();
    draw(banner, "");
    if (startup !== null) {
      draw(banner, errorBanner(startup));
      element("view-monitor").hidden = true;
      return;
    }
    // The server's vault is the server's; links come with a desktop's discovery.
    if (!web) await unlockVaultIfNeeded();
    // Listen before loading so nothing between the load and the listener is lost.
    await onCoreEvent((ev) => {
      discoveryEvent(ev);
      rulesView.onEvent(ev);
      if (ev.type === "rulesChanged") eventsView?.onRulesChanged();
      if (ev.type === "maintenanceChanged") maintView?.onMaintenanceChanged();
      if (buffered !== null) buffered.push(ev);
      else changed(applyEvent(model, ev));
    });
    await onEventsLagged(() => void reloadAll().catch(showError));
    await reloadAll();
    if (!web) void startLinkFeed(map);
    setupMapTiles();
    showLiveStatus(true);
    const monitorError = await api.monitorError();
    draw(banner, monitorError === null ? "" : errorBanner({ ...monitorError, detail: `monitoring is off: ${monitorError.detail}` }));
    window.setInterval(() => void refreshLive(), LIVE_REFRESH_MS);
    document.addEventListener("visibilitychange", () => void refreshLive());
  } catch (err) {
    showError(err);
  }
}

// Start once the stylesheet has applied: the map reads its colours and size from it.
if (document.readyState === "complete") void start();
else window.addEventListener("load", () => void start(), { once: true });
