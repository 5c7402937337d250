// The console's Cleared and Event log views: loaded when shown (and again
// when alarms change while one shows), filtered by the console's text box,
// drawn as tables (alarmhistory.ts). Clicking a cleared alarm opens it in
// the drawer like an active one.
import type { Alarm, DeviceId, EventLogEntry } from "./generated/bindings";
import { api } from "./api";
import { clearedAlarms, clearedTable, eventLogTable, eventText, actionText, type ConsoleView } from "./alarmhistory";
import { matchesFilter } from "./alarms";
import { draw, html } from "./html";

/** How far back the views reach: the newest alarms (of which the cleared ones show) and log entries. */
const ALARM_LIMIT = 2000;
const LOG_LIMIT = 500;

export class ConsoleViews {
  view: ConsoleView = "active";
  private cleared: Alarm[] = [];
  private log: EventLogEntry[] = [];
  private loading = 0;

  constructor(
    private readonly buttons: HTMLElement,
    private readonly out: HTMLElement,
    private readonly onView: (v: ConsoleView) => void,
    private readonly deviceName: () => (id: DeviceId) => string | undefined,
    private readonly text: () => string,
  ) {
    buttons.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest("button[data-view]") : null;
      if (!(b instanceof HTMLButtonElement)) return;
      const v = b.dataset["view"];
      if (v === "active" || v === "cleared" || v === "log") this.show(v);
    });
  }

  /** A cleared alarm the view lists (for the drawer). */
  find(id: string): Alarm | undefined {
    return this.cleared.find((a) => a.id === id);
  }

  show(v: ConsoleView): void {
    this.view = v;
    for (const b of this.buttons.querySelectorAll<HTMLButtonElement>("button[data-view]")) {
      b.setAttribute("aria-pressed", String(b.dataset["view"] === v));
    }
    this.out.hidden = v === "active";
    this.onView(v);
    if (v === "active") return;
    // Never show the other view's rows under this view's button while loading.
    draw(this.out, html`<p class="muted console-empty">Loading…</p>`);
    void this.reload();
  }

  /** New data may be there (an alarm cleared, a device added): reload the view that shows. */
  changed(): void {
    if (this.view !== "active") void this.reload();
  }

  /** Redraw with the current filter text. */
  redraw(): void {
    const needle = this.text().trim().toLowerCase();
    const name = this.deviceName();
    if (this.view === "cleared") {
      const f = { severities: new Set<never>(), text: needle };
      draw(this.out, clearedTable(this.cleared.filter((a) => matchesFilter(a, f, name)), name));
    } else if (this.view === "log") {
      const hit = (e: EventLogEntry): boolean =>
        needle === "" ||
        [actionText(e.action), e.action, e.entity, e.entityId, e.actor, eventText(e), name(e.entityId) ?? ""].some((s) =>
          s.toLowerCase().includes(needle),
        );
      draw(this.out, eventLogTable(this.log.filter(hit), name));
    }
  }

  private async reload(): Promise<void> {
    const ticket = ++this.loading;
    const v = this.view;
    try {
      if (v === "cleared") this.cleared = clearedAlarms(await api.listAlarms(false, ALARM_LIMIT));
      else if (v === "log") this.log = await api.eventLog(LOG_LIMIT);
      if (ticket === this.loading) this.redraw();
    } catch (err) {
      if (ticket === this.loading) draw(this.out, html`<p class="console-error">${err instanceof Error ? err.message : String(err)}</p>`);
    }
  }
}
