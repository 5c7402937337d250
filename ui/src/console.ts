// The alarm console: a virtualised list of active alarms (sorted by the
// caller), filters (text, severity via the header badges, acknowledgement
// state, site), and inline Acknowledge (with a comment) and Clear actions.
import type { Alarm, AlarmId, DeviceId, Severity, Site } from "./generated/bindings";
import type { AckFilter, AlarmFilter } from "./alarms";
import { filterAlarms, isFiltering, NO_SITE } from "./alarms";
import { draw, html } from "./html";
import { alarmRow } from "./render";
import { VirtualList } from "./vlist";

export const ALARM_ROW_HEIGHT = 32;

export interface ConsoleActions {
  ack(id: AlarmId, comment: string | null): Promise<void>;
  clear(id: AlarmId): Promise<void>;
}

export interface ConsoleElements {
  list: HTMLElement;
  search: HTMLInputElement;
  ackState: HTMLSelectElement;
  site: HTMLSelectElement;
  count: HTMLElement;
  empty: HTMLElement;
  error: HTMLElement;
  ackForm: HTMLFormElement;
  ackWhat: HTMLElement;
  ackComment: HTMLInputElement;
  ackCancel: HTMLButtonElement;
}

export class AlarmConsole {
  private sorted: readonly Alarm[] = [];
  private shown: readonly Alarm[] = [];
  private deviceName: (id: DeviceId) => string | undefined = () => undefined;
  private deviceSite: (id: DeviceId) => string | undefined = () => undefined;
  private ack: AckFilter = "all";
  private site = "";
  private readonly list: VirtualList<Alarm>;
  private severities = new Set<Severity>();
  private text = "";
  private acking: AlarmId | null = null;
  private ackReturnFocus: HTMLElement | null = null;

  constructor(
    private readonly els: ConsoleElements,
    private readonly actions: ConsoleActions,
  ) {
    this.list = new VirtualList<Alarm>(els.list, ALARM_ROW_HEIGHT, (a, i) =>
      alarmRow(a, a.deviceId === null ? undefined : this.deviceName(a.deviceId), Date.now(), i),
    );
    els.search.addEventListener("input", () => {
      this.text = els.search.value;
      this.refilter();
    });
    els.ackState.addEventListener("change", () => {
      const v = els.ackState.value;
      this.ack = v === "acked" || v === "unacked" ? v : "all";
      this.refilter();
    });
    els.site.addEventListener("change", () => {
      this.site = els.site.value;
      this.refilter();
    });
    els.list.addEventListener("click", (e) => this.onClick(e));
    els.ackForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitAck();
    });
    els.ackCancel.addEventListener("click", () => this.closeAck());
    els.ackForm.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.closeAck();
    });
  }

  get filter(): AlarmFilter {
    return { severities: this.severities, text: this.text, ack: this.ack, site: this.site };
  }

  /** Rows in the DOM right now (for the test hook). */
  get renderedRows(): number {
    return this.list.rendered;
  }

  /**
   * Keeps the visible rows' relative times ("12 s ago") current. lit-html
   * rewrites only the texts that changed: the rows and their buttons stay the
   * same elements, so a click (or a WebDriver test) never lands on a row
   * being replaced.
   */
  refreshRows(): void {
    this.list.refresh();
  }

  get shownCount(): number {
    return this.shown.length;
  }

  toggleSeverity(s: Severity): void {
    if (this.severities.has(s)) this.severities.delete(s);
    else this.severities.add(s);
    this.refilter();
  }

  get selectedSeverities(): ReadonlySet<Severity> {
    return this.severities;
  }

  /**
   * The site filter's choices. A chosen site that was removed falls back to
   * "all sites", so the console never hides alarms behind a filter that is gone.
   */
  setSites(sites: Iterable<Site>): void {
    const sorted = Array.from(sites).sort((a, b) => a.name.localeCompare(b.name));
    draw(
      this.els.site,
      html`<option value="">All sites</option><option value=${NO_SITE}>No site</option>${sorted.map(
          (s) => html`<option value=${s.id}>${s.name}</option>`,
        )}`,
    );
    const keep = this.site === "" || this.site === NO_SITE || sorted.some((s) => s.id === this.site);
    if (!keep) this.site = "";
    this.els.site.value = this.site;
    this.refilter();
  }

  /** `sorted` must already be in console order (see sortAlarms). */
  setAlarms(
    sorted: readonly Alarm[],
    deviceName: (id: DeviceId) => string | undefined,
    deviceSite: (id: DeviceId) => string | undefined = () => undefined,
  ): void {
    this.sorted = sorted;
    this.deviceName = deviceName;
    this.deviceSite = deviceSite;
    if (this.acking !== null && !sorted.some((a) => a.id === this.acking)) this.closeAck();
    this.refilter();
  }

  private refilter(): void {
    this.shown = filterAlarms(this.sorted, this.filter, this.deviceName, this.deviceSite);
    this.list.setItems(this.shown);
    const total = this.sorted.length;
    this.els.count.textContent = isFiltering(this.filter) ? `${this.shown.length} of ${total}` : `${total}`;
    this.els.empty.hidden = this.shown.length > 0;
    this.els.empty.textContent = total === 0 ? "No active alarms." : "No alarm matches the filter.";
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target.closest("button[data-action]") : null;
    if (!(target instanceof HTMLButtonElement)) return;
    const id = target.dataset["id"];
    if (id === undefined) return;
    if (target.dataset["action"] === "ack") this.openAck(id, target);
    else if (target.dataset["action"] === "clear") void this.run(() => this.actions.clear(id));
  }

  private openAck(id: AlarmId, from: HTMLElement): void {
    const a = this.sorted.find((x) => x.id === id);
    if (a === undefined) return;
    this.acking = id;
    this.ackReturnFocus = from;
    const who = (a.deviceId === null ? undefined : this.deviceName(a.deviceId)) ?? a.managedObject;
    draw(this.els.ackWhat, html`<strong>${a.perceivedSeverity}</strong> ${a.probableCause} on ${who}`);
    this.els.ackComment.value = "";
    this.els.ackForm.hidden = false;
    this.els.ackComment.focus();
  }

  private closeAck(): void {
    this.acking = null;
    this.els.ackForm.hidden = true;
    if (this.ackReturnFocus?.isConnected) this.ackReturnFocus.focus();
    else this.els.search.focus();
    this.ackReturnFocus = null;
  }

  private async submitAck(): Promise<void> {
    const id = this.acking;
    if (id === null) return;
    const comment = this.els.ackComment.value.trim();
    const ok = await this.run(() => this.actions.ack(id, comment === "" ? null : comment));
    if (ok) this.closeAck();
  }

  private async run(action: () => Promise<void>): Promise<boolean> {
    this.els.error.textContent = "";
    try {
      await action();
      return true;
    } catch (err) {
      this.els.error.textContent = err instanceof Error ? err.message : String(err);
      return false;
    }
  }
}
