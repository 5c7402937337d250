// The devices table: search, filters (site, state, kind, tag, vendor),
// sortable columns, multi-select with a bulk bar, a context menu and
// keyboard navigation, over a virtualised list (vlist.ts) so 10,000 devices
// scroll like 30. Pure logic lives in devicequery.ts, selection.ts and
// tablekeys.ts; this is the DOM wiring. Rows are kept sorted; a keystroke in
// the search box only filters the sorted rows, and a live state change
// re-sorts only when the sort or a filter depends on it.
import type { Device, DeviceId, DeviceLive, Severity, Site, SiteId } from "./generated/bindings";
import type { DeviceFilter, DeviceRow, SortKey, SortSpec } from "./devicequery";
import { buildRows, dependsOnLive, facets, filterRows, NO_FILTER, NONE, nextSort, SORT_KEYS, sortRows, updateLive } from "./devicequery";
import {
  countLine,
  DEVICE_ROW_HEIGHT,
  deviceRow,
  EMPTY_STATE,
  filterOptions,
  headerRow,
  NO_MATCH,
  rowDomId,
} from "./devices";
import { menuItems, RowMenu, type MenuAction } from "./devicemenu";
import { draw, html } from "./html";
import { Selection } from "./selection";
import { keyAction } from "./tablekeys";
import { scrollToReveal, VirtualList } from "./vlist";
import { compareKeys, naturalKey } from "./addrsort";

export interface DeviceTableDeps {
  live: () => ReadonlyMap<DeviceId, DeviceLive>;
  worst: () => ReadonlyMap<DeviceId, Severity>;
  open(d: Device): void;
  edit(d: Device): void;
  /** Asks, then removes. */
  remove(d: Device): void;
  setEnabled(d: Device, on: boolean): void;
  bulkEdit(devices: Device[]): void;
  ping(d: Device): void;
  walk(d: Device): void;
}

const STATES = ["up", "degraded", "down", "unknown"] as const;
type FilterName = Exclude<keyof DeviceFilter, "text">;

const SHELL = html`<div class="dt-toolbar" role="search">
    <input type="search" id="dt-search" class="dt-search" placeholder="Search name, address, tag, vendor…" aria-label="Search devices" autocomplete="off" spellcheck="false" />
    <select id="dt-site" data-filter="site" aria-label="Site"></select>
    <select id="dt-state" data-filter="state" aria-label="State"></select>
    <select id="dt-kind" data-filter="kind" aria-label="Kind"></select>
    <select id="dt-tag" data-filter="tag" aria-label="Tag"></select>
    <select id="dt-vendor" data-filter="vendor" aria-label="Vendor"></select>
    <span id="dt-count" class="muted dt-count" aria-live="polite"></span>
  </div>
  <div id="dt-bulk" class="dt-bulk" hidden>
    <span id="dt-bulk-count"></span>
    <button type="button" class="small" id="dt-bulk-edit">Edit selected…</button>
    <button type="button" class="small" id="dt-bulk-clear">Clear selection</button>
  </div>
  <div class="dt-scroll">
    <div class="dt-grid" role="grid" aria-label="Devices" aria-multiselectable="true">
      <div id="dt-head" role="rowgroup"></div>
      <div id="dt-list" class="dt-list" role="rowgroup" tabindex="0"></div>
    </div>
  </div>
  <div id="dt-empty"><p class="muted">Loading devices…</p></div>
  <div id="dt-menu" class="dt-menu" role="menu" aria-label="Device actions" hidden></div>`;

export class DeviceTable {
  private devices: ReadonlyMap<DeviceId, Device> = new Map();
  private sites: readonly Site[] = [];
  /** Every row, in the current sort order. */
  private sorted: DeviceRow[] = [];
  private byId = new Map<DeviceId, DeviceRow>();
  private shown: DeviceRow[] = [];
  private shownIds: string[] = [];
  private filter: DeviceFilter = NO_FILTER;
  private sort: SortSpec = { key: "name", dir: 1 };
  private cursorId: string | null = null;
  private loaded = false;
  readonly selection = new Selection();
  private readonly list: VirtualList<DeviceRow>;
  private readonly menu: RowMenu;
  private readonly el: {
    search: HTMLInputElement;
    filters: Record<FilterName, HTMLSelectElement>;
    count: HTMLElement;
    bulk: HTMLElement;
    bulkCount: HTMLElement;
    head: HTMLElement;
    list: HTMLElement;
    empty: HTMLElement;
    menu: HTMLElement;
  };

  constructor(
    container: HTMLElement,
    private readonly deps: DeviceTableDeps,
  ) {
    draw(container, SHELL);
    const q = <T extends HTMLElement>(id: string): T => {
      const e = container.querySelector<T>(`#${id}`);
      if (e === null) throw new Error(`device table lacks #${id}`);
      return e;
    };
    this.el = {
      search: q("dt-search"),
      filters: { site: q("dt-site"), state: q("dt-state"), kind: q("dt-kind"), tag: q("dt-tag"), vendor: q("dt-vendor") },
      count: q("dt-count"),
      bulk: q("dt-bulk"),
      bulkCount: q("dt-bulk-count"),
      head: q("dt-head"),
      list: q("dt-list"),
      empty: q("dt-empty"),
      menu: q("dt-menu"),
    };
    this.list = new VirtualList<DeviceRow>(this.el.list, DEVICE_ROW_HEIGHT, (r, i) =>
      deviceRow(r, i, { selected: this.selection.has(r.device.id), cursor: r.device.id === this.cursorId }, Date.now()),
    );
    this.el.search.addEventListener("input", () => {
      this.filter = { ...this.filter, text: this.el.search.value };
      this.refilter();
    });
    for (const [name, sel] of Object.entries(this.el.filters) as [FilterName, HTMLSelectElement][]) {
      sel.addEventListener("change", () => {
        this.filter = { ...this.filter, [name]: sel.value };
        this.refilter();
      });
    }
    this.el.head.addEventListener("click", (e) => this.onHeadClick(e));
    this.el.list.addEventListener("click", (e) => this.onListClick(e));
    this.el.list.addEventListener("contextmenu", (e) => this.onContextMenu(e));
    this.el.list.addEventListener("keydown", (e) => this.onKey(e));
    this.menu = new RowMenu(this.el.menu, this.el.list, (action, d) => this.onMenu(action, d));
    q<HTMLButtonElement>("dt-bulk-edit").addEventListener("click", () => this.deps.bulkEdit(this.selectedDevices()));
    q<HTMLButtonElement>("dt-bulk-clear").addEventListener("click", () => {
      this.selection.clear();
      this.selectionChanged();
    });
    this.drawFilters();
    this.drawHead();
  }

  /** New inventory (devices or sites added, edited or removed): rebuild every row. */
  setData(devices: ReadonlyMap<DeviceId, Device>, sites: ReadonlyMap<SiteId, Site>): void {
    this.loaded = true;
    this.devices = devices;
    this.sites = [...sites.values()].sort((a, b) => compareKeys(naturalKey(a.name), naturalKey(b.name)));
    const rows = buildRows(devices.values(), this.deps.live(), this.deps.worst());
    this.byId = new Map(rows.map((r) => [r.device.id, r]));
    this.selection.retain(devices);
    if (this.cursorId !== null && !devices.has(this.cursorId)) this.cursorId = null;
    this.drawFilters();
    this.sorted = sortRows(rows, this.sort);
    this.refilter();
  }

  /** Live state or worst alarm of these devices changed. */
  updateRows(ids: Iterable<DeviceId>): void {
    const live = this.deps.live();
    const worst = this.deps.worst();
    for (const id of ids) {
      const r = this.byId.get(id);
      if (r !== undefined) updateLive(r, live.get(id), worst.get(id));
    }
    if (dependsOnLive(this.filter, this.sort)) {
      this.sorted = sortRows(this.sorted, this.sort);
      this.refilter();
    } else this.list.refresh();
  }

  private get cursor(): number {
    return this.cursorId === null ? -1 : this.shownIds.indexOf(this.cursorId);
  }

  private refilter(): void {
    this.shown = filterRows(this.sorted, this.filter);
    this.shownIds = this.shown.map((r) => r.device.id);
    this.list.setItems(this.shown);
    const none = this.shown.length === 0;
    this.el.list.hidden = none;
    this.el.head.hidden = none;
    draw(this.el.empty, !this.loaded ? html`<p class="muted">Loading devices…</p>` : this.sorted.length === 0 ? EMPTY_STATE : none ? NO_MATCH : "");
    this.selectionChanged(false);
  }

  private selectionChanged(redrawRows = true): void {
    if (redrawRows) this.list.refresh();
    this.drawHead();
    const n = this.selection.size;
    this.el.count.textContent = countLine(this.shown.length, this.sorted.length, n);
    this.el.bulk.hidden = n === 0;
    this.el.bulkCount.textContent = `${n.toLocaleString()} selected`;
    const c = this.cursor;
    if (c >= 0) this.el.list.setAttribute("aria-activedescendant", rowDomId(c));
    else this.el.list.removeAttribute("aria-activedescendant");
  }

  private drawHead(): void {
    draw(this.el.head, headerRow(this.sort, this.selection.allState(this.shownIds)));
  }

  private drawFilters(): void {
    const f = facets(this.devices.values());
    const opt = (v: string): { value: string; label: string } => ({ value: v, label: v });
    const sel = this.el.filters;
    draw(sel.site, filterOptions("All sites", [...this.sites.map((s) => ({ value: s.id, label: s.name })), { value: NONE, label: "No site" }], this.filter.site));
    draw(sel.state, filterOptions("All states", STATES.map(opt), this.filter.state));
    draw(sel.kind, filterOptions("All kinds", f.kinds.map(opt), this.filter.kind));
    draw(sel.tag, filterOptions("All tags", f.tags.map(opt), this.filter.tag));
    draw(sel.vendor, filterOptions("All vendors", [...f.vendors.map(opt), ...(f.hasNoVendor ? [{ value: NONE, label: "Vendor unknown" }] : [])], this.filter.vendor));
  }

  private selectedDevices(): Device[] {
    const order = this.sorted.map((r) => r.device.id);
    return this.selection.inOrder(order).flatMap((id) => {
      const d = this.devices.get(id);
      return d === undefined ? [] : [d];
    });
  }

  private rowId(target: EventTarget | null): string | null {
    const row = target instanceof Element ? target.closest<HTMLElement>(".dt-row[data-id]") : null;
    return row?.dataset["id"] ?? null;
  }

  private onHeadClick(e: MouseEvent): void {
    const t = e.target instanceof Element ? e.target : null;
    const sortBtn = t?.closest<HTMLButtonElement>("button[data-sort]");
    if (sortBtn) {
      const key = sortBtn.dataset["sort"];
      const col = this.sortKey(key);
      if (col === null) return;
      this.sort = nextSort(this.sort, col);
      this.sorted = sortRows(this.sorted, this.sort);
      this.refilter();
      return;
    }
    if (t instanceof HTMLInputElement && t.id === "dt-all") {
      this.selection.toggleAll(this.shownIds);
      this.selectionChanged();
    }
  }

  private sortKey(k: string | undefined): SortKey | null {
    return SORT_KEYS.find((s) => s === k) ?? null;
  }

  private onListClick(e: MouseEvent): void {
    const id = this.rowId(e.target);
    if (id === null) return;
    const t = e.target instanceof Element ? e.target : null;
    this.cursorId = id;
    if (t instanceof HTMLInputElement && t.classList.contains("dt-check")) {
      this.selection.click(this.shownIds, id, { shift: e.shiftKey });
      this.selectionChanged();
      return;
    }
    const menuBtn = t?.closest<HTMLButtonElement>("button[data-action=menu]");
    if (menuBtn) {
      const r = menuBtn.getBoundingClientRect();
      this.openMenu(id, r.left, r.bottom);
      return;
    }
    // A click elsewhere on the row puts the cursor there; a shift-click selects the range.
    if (e.shiftKey && t?.closest("a") === null) {
      this.selection.click(this.shownIds, id, { shift: true });
    }
    if (t?.closest("a") === null) this.el.list.focus({ preventScroll: true });
    this.selectionChanged();
  }

  private onContextMenu(e: MouseEvent): void {
    const id = this.rowId(e.target);
    if (id === null) return;
    e.preventDefault();
    this.cursorId = id;
    this.selectionChanged();
    this.openMenu(id, e.clientX, e.clientY);
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.el.list.clientHeight / DEVICE_ROW_HEIGHT));
    const a = keyAction({ key: e.key, shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey }, this.cursor, this.shown.length, page);
    if (a === null) return;
    e.preventDefault();
    const current = this.cursorId === null ? undefined : this.devices.get(this.cursorId);
    switch (a.kind) {
      case "move": {
        const from = this.cursorId;
        const to = this.shownIds[a.to] ?? null;
        this.cursorId = to;
        if (a.extend && to !== null) {
          // Shift+arrows grow the selection over every row passed.
          if (from !== null && !this.selection.has(from)) this.selection.click(this.shownIds, from, { shift: false });
          if (!this.selection.has(to)) this.selection.click(this.shownIds, to, { shift: false });
        }
        this.el.list.scrollTop = scrollToReveal(a.to, this.el.list.scrollTop, this.el.list.clientHeight, DEVICE_ROW_HEIGHT);
        this.selectionChanged();
        break;
      }
      case "open":
        if (current) this.deps.open(current);
        break;
      case "toggle":
        if (this.cursorId !== null) this.selection.click(this.shownIds, this.cursorId, { shift: e.shiftKey });
        this.selectionChanged();
        break;
      case "remove":
        if (current) this.deps.remove(current);
        break;
      case "selectAll":
        this.selection.toggleAll(this.shownIds);
        this.selectionChanged();
        break;
      case "clear":
        this.selection.clear();
        this.selectionChanged();
        break;
      case "menu": {
        if (this.cursorId === null) break;
        const row = this.el.list.querySelector<HTMLElement>(`#${rowDomId(this.cursor)}`);
        const r = row?.getBoundingClientRect() ?? this.el.list.getBoundingClientRect();
        this.openMenu(this.cursorId, r.left + 40, r.bottom);
        break;
      }
    }
  }

  private openMenu(id: string, x: number, y: number): void {
    const d = this.devices.get(id);
    if (d === undefined) return;
    this.menu.open(d, menuItems(d, this.selection.size, this.selection.has(id)), x, y);
  }

  private onMenu(action: MenuAction, d: Device): void {
    if (action === "open") this.deps.open(d);
    else if (action === "edit") this.deps.edit(d);
    else if (action === "ping") this.deps.ping(d);
    else if (action === "walk") this.deps.walk(d);
    else if (action === "toggle-enabled") this.deps.setEnabled(d, !d.enabled);
    else if (action === "remove") this.deps.remove(d);
    else this.deps.bulkEdit(this.selectedDevices());
  }
}
