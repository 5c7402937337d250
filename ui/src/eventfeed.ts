// The Events screen's table of traps and syslog messages with its filters.
// There is no pushed event for a new trap or syslog line, so while the
// screen shows, the window is visible and "live" is ticked, it asks again
// every LIVE_MS (one request at a time); hide() stops the timer.
import type { SyslogEntry, TrapEvent } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { element } from "./formdom";
import { draw, nothing } from "./html";
import { deviceOptions, eventsTable } from "./eventlist";
import { filterFrom, mergeEvents, syslogQuery, type EventFilter } from "./eventmodel";

const LIVE_MS = 2000;
/** Rows shown: a screenful or ten, newest first. */
const ROWS = 200;
/** Traps are filtered here, so more are fetched than shown. */
const TRAP_FETCH = 1000;
/** Typing settles this long before the search goes out. */
const TYPE_MS = 300;

export class EventFeed {
  private readonly form = element<HTMLFormElement>("events-filter");
  private readonly body = element("events-body");
  private readonly error = element("events-error");
  private readonly count = element("events-count");
  private readonly device = element<HTMLSelectElement>("ev-device");
  private readonly live = element<HTMLInputElement>("ev-live");
  private readonly view = element("view-events");
  private timer: ReturnType<typeof setInterval> | null = null;
  private typing: ReturnType<typeof setTimeout> | null = null;
  private inFlight = false;
  /** A filter changed while a request was out: ask again when it returns. */
  private again = false;
  private loaded = false;
  private shown = false;

  constructor() {
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.refresh();
    });
    this.form.addEventListener("change", (e) => {
      if (e.target === this.live) this.schedule();
      else void this.refresh();
    });
    this.form.addEventListener("input", (e) => {
      if (!(e.target instanceof HTMLInputElement) || e.target.name !== "text") return;
      if (this.typing !== null) clearTimeout(this.typing);
      this.typing = setTimeout(() => void this.refresh(), TYPE_MS);
    });
    element("ev-refresh").addEventListener("click", () => void this.refresh());
    document.addEventListener("visibilitychange", () => {
      if (this.shown && document.visibilityState === "visible") void this.refresh();
    });
  }

  async show(): Promise<void> {
    this.shown = true;
    await Promise.all([this.loadDevices(), this.refresh()]);
    this.schedule();
  }

  hide(): void {
    this.shown = false;
    this.stop();
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.stop();
    if (this.shown && this.live.checked) {
      this.timer = setInterval(() => {
        // The device page hides the tab's view without leaving the tab.
        if (document.visibilityState !== "hidden" && !this.view.hidden) void this.refresh();
      }, LIVE_MS);
    }
  }

  /** The device filter follows the inventory; the choice stays while its device does. */
  private async loadDevices(): Promise<void> {
    try {
      const devices = await api.listDevices();
      const kept = this.device.value;
      draw(this.device, deviceOptions(devices));
      this.device.value = devices.some((d) => d.id === kept) ? kept : "";
    } catch (err) {
      draw(this.error, toApiError(err).detail);
    }
  }

  private filter(): EventFilter {
    const v = (n: string): string => {
      const el = this.form.elements.namedItem(n);
      return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value : "";
    };
    return filterFrom({ kind: v("kind"), text: v("text"), device: v("device"), severity: v("severity") });
  }

  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      do {
        this.again = false;
        await this.fetch(this.filter());
      } while (this.again);
    } finally {
      this.inFlight = false;
    }
  }

  private async fetch(f: EventFilter): Promise<void> {
    try {
      const none = Promise.resolve([]);
      const [traps, syslog] = await Promise.all([
        f.kind === "syslog" ? none : (api.listTrapEvents(TRAP_FETCH) as Promise<TrapEvent[]>),
        f.kind === "traps" ? none : (api.searchSyslog(syslogQuery(f, ROWS)) as Promise<SyslogEntry[]>),
      ]);
      const rows = mergeEvents(traps, syslog, f, ROWS);
      this.loaded = true;
      draw(this.error, nothing);
      draw(this.body, eventsTable(rows, this.loaded));
      this.count.textContent = `${rows.length} event${rows.length === 1 ? "" : "s"}${rows.length === ROWS ? " (newest shown)" : ""}`;
    } catch (err) {
      // Keep the last rows: a bad filter or a busy store says so above them.
      draw(this.error, toApiError(err).detail);
    }
  }
}
