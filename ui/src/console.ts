// The alarm console: a virtualised list of active alarms (sorted by the
// caller), filters (text, severity via the header badges, acknowledgement
// state, site), inline Acknowledge (with a comment), multi-select with one
// bulk acknowledgement, the alarm drawer (alarmdrawer.ts) opened by clicking
// a row, and the Cleared / Event log views (consoleviews.ts). Columns are
// sized to the shown alarms (consolecols.ts); layout is in console.css.
import type { Alarm, AlarmId, DeviceId, Severity, Site } from "./generated/bindings";
import type { AckFilter, AlarmFilter } from "./alarms";
import { filterAlarms, groupUnderRoots, isFiltering, NO_SITE } from "./alarms";
import { AlarmDrawer } from "./alarmdrawer";
import { applyColumnWidths, columnWidths } from "./consolecols";
import { ConsoleViews } from "./consoleviews";
import { element } from "./formdom";
import { draw, html } from "./html";
import { problemText } from "./problem";
import { alarmRow } from "./render";
import { Selection } from "./selection";
import { VirtualList } from "./vlist";
import "./console.css";

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
  private readonly selection = new Selection<AlarmId>();
  private readonly drawer: AlarmDrawer;
  private readonly views: ConsoleViews;
  /** Elements index.html gives the console beyond the ones main.ts passes. */
  private readonly host: HTMLElement;
  private readonly head = element("alarm-head");
  private readonly selectAll = element<HTMLInputElement>("console-select-all");
  private readonly bulk = element<HTMLFormElement>("console-bulk");
  private readonly bulkCount = element("bulk-count");
  private readonly bulkComment = element<HTMLInputElement>("bulk-comment");

  constructor(
    private readonly els: ConsoleElements,
    private readonly actions: ConsoleActions,
  ) {
    this.host = els.list.closest<HTMLElement>(".console") ?? els.list;
    this.list = new VirtualList<Alarm>(els.list, ALARM_ROW_HEIGHT, (a, i) =>
      alarmRow(a, a.deviceId === null ? undefined : this.deviceName(a.deviceId), Date.now(), i, {
        selected: this.selection.has(a.id),
        open: this.drawer.openId === a.id,
      }),
    );
    this.drawer = new AlarmDrawer(this.host, {
      ack: (id, comment) => actions.ack(id, comment),
      clear: (id) => actions.clear(id),
      deviceName: (id) => this.deviceName(id),
      changed: () => this.list.refresh(),
    });
    this.views = new ConsoleViews(
      element("console-views"),
      element("console-history"),
      (v) => this.showView(v === "active"),
      () => this.deviceName,
      () => this.text,
    );
    this.selectAll.addEventListener("click", () => {
      this.selection.toggleAll(this.shownIds());
      this.selectionChanged();
    });
    this.bulk.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.bulkAck();
    });
    element("bulk-none").addEventListener("click", () => {
      this.selection.clear();
      this.selectionChanged();
    });
    els.search.addEventListener("input", () => {
      this.text = els.search.value;
      this.refilter();
      this.views.redraw();
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
    element("console-history").addEventListener("click", (e) => this.onClick(e));
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
    const open = this.drawer.openId;
    if (open !== null) this.drawer.refresh(sorted.find((a) => a.id === open));
    this.refilter();
    this.views.changed();
  }

  /** The alarm the drawer shows (for tests and the e2e hook). */
  get openAlarm(): AlarmId | null {
    return this.drawer.openId;
  }

  private shownIds(): AlarmId[] {
    return this.shown.map((a) => a.id);
  }

  /** Selected alarms that still need an acknowledgement, in list order. */
  private selectedUnacked(): AlarmId[] {
    return this.shown.filter((a) => a.ackedAt === null && this.selection.has(a.id)).map((a) => a.id);
  }

  private showView(active: boolean): void {
    this.head.hidden = !active;
    this.els.list.hidden = !active;
    this.els.empty.hidden = !active || this.shown.length > 0;
    this.bulk.hidden = !active || this.selection.size === 0;
  }

  private selectionChanged(): void {
    const ids = this.shownIds();
    const st = this.selection.allState(ids);
    this.selectAll.checked = st === "all";
    this.selectAll.indeterminate = st === "some";
    const n = this.selection.size;
    this.bulk.hidden = n === 0 || this.views.view !== "active";
    const unacked = this.selectedUnacked().length;
    this.bulkCount.textContent = `${n} selected${unacked < n ? ` (${unacked} not acknowledged)` : ""}`;
    this.list.refresh();
  }

  /** One comment for every selected, not yet acknowledged alarm; one ack call each, in list order. */
  private async bulkAck(): Promise<void> {
    const comment = this.bulkComment.value.trim();
    const ids = this.selectedUnacked();
    let failed = 0;
    let lastError = "";
    for (const id of ids) {
      try {
        await this.actions.ack(id, comment === "" ? null : comment);
      } catch (err) {
        failed += 1;
        lastError = err instanceof Error ? err.message : String(err);
      }
    }
    this.els.error.textContent = failed === 0 ? "" : `${failed} of ${ids.length} not acknowledged: ${lastError}`;
    if (failed === 0) {
      this.bulkComment.value = "";
      this.selection.clear();
    }
    this.selectionChanged();
  }

  private refilter(): void {
    this.shown = groupUnderRoots(filterAlarms(this.sorted, this.filter, this.deviceName, this.deviceSite));
    // A bulk action acts only on alarms the operator can see.
    this.selection.retain(this.shownIds());
    applyColumnWidths(this.host, columnWidths(this.shown, this.deviceName));
    this.list.setItems(this.shown);
    this.selectionChanged();
    const total = this.sorted.length;
    this.els.count.textContent = isFiltering(this.filter) ? `${this.shown.length} of ${total}` : `${total}`;
    this.els.empty.hidden = this.shown.length > 0 || this.views.view !== "active";
    this.els.empty.textContent = total === 0 ? "No active alarms." : "No alarm matches the filter.";
  }

  /** Open an alarm's detail: an active one from the list, or a cleared one from the history view. */
  openDetail(id: AlarmId, from: HTMLElement | null): void {
    const a = this.sorted.find((x) => x.id === id) ?? this.views.find(id);
    if (a === undefined) return;
    this.drawer.mount(this.host);
    this.drawer.open(a, from);
  }

  /**
   * The same drawer for an active alarm, shown inside `host` (the device
   * page); false when the alarm is not active. `closeDetail` sends it back.
   */
  openDetailIn(id: AlarmId, host: HTMLElement, from: HTMLElement | null): boolean {
    const a = this.sorted.find((x) => x.id === id);
    if (a === undefined) return false;
    this.drawer.mount(host);
    this.drawer.open(a, from);
    return true;
  }

  closeDetail(): void {
    this.drawer.close();
    this.drawer.mount(this.host);
  }

  private onClick(e: MouseEvent): void {
    if (!(e.target instanceof Element)) return;
    const target = e.target.closest<HTMLElement>("[data-action]");
    const row = e.target.closest<HTMLElement>(".alarm-row, tr[data-id]");
    const id = target?.dataset["id"] ?? row?.dataset["id"];
    if (id === undefined) return;
    const action = target?.dataset["action"] ?? "open";
    if (action === "select") {
      this.selection.click(this.shownIds(), id, { shift: e.shiftKey });
      this.selectionChanged();
    } else if (action === "ack" && target !== null) this.openAck(id, target);
    else if (action === "clear") void this.run(() => this.actions.clear(id));
    else if (action === "open") this.openDetail(id, target ?? row);
  }

  private openAck(id: AlarmId, from: HTMLElement): void {
    const a = this.sorted.find((x) => x.id === id);
    if (a === undefined) return;
    this.acking = id;
    this.ackReturnFocus = from;
    const who = (a.deviceId === null ? undefined : this.deviceName(a.deviceId)) ?? a.managedObject;
    draw(this.els.ackWhat, html`<strong>${a.perceivedSeverity}</strong> ${problemText(a)} on ${who}`);
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
