// The Events screen's MIB browser (issue 17, item 2): the OID tree of the
// loaded modules, opened level by level; a search over names and
// descriptions; the chosen object's description, syntax and values; and
// "walk this on a device" with the device's stored credential.
import type { MibTreeNode } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { element } from "./formdom";
import { draw, html, nothing, type TemplateResult } from "./html";
import { deviceOptions, nodeLine, objectDetails, searchResults, walkRows } from "./mibmodel";

const SEARCH_LIMIT = 100;

export class MibBrowser {
  private readonly tree = element("mib-tree");
  private readonly detail = element("mib-detail");
  private readonly error = element("mib-error");
  private readonly search = element<HTMLFormElement>("mib-search");
  private readonly walk = element<HTMLFormElement>("mib-walk");
  private readonly device = element<HTMLSelectElement>("mib-device");
  private readonly walkBody = element("mib-walk-body");
  /** Children loaded so far, by parent OID ("" for the top). */
  private readonly kids = new Map<string, MibTreeNode[]>();
  private readonly open = new Set<string>();
  private chosen: string | null = null;
  private loaded = false;

  constructor() {
    this.tree.addEventListener("click", (e) => {
      const b = (e.target as HTMLElement).closest<HTMLElement>("button[data-oid]");
      if (b?.dataset["oid"] !== undefined) void this.choose(b.dataset["oid"], true);
    });
    this.search.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.find();
    });
    this.walk.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.walkChosen();
    });
  }

  /** Loads the tree once; the device list at every show, since devices are added and removed on other tabs. */
  async show(): Promise<void> {
    await this.guard(async () => {
      const [top, devices] = await Promise.all([this.loaded ? null : api.mibChildren(null), api.listDevices()]);
      const picked = this.device.value;
      draw(this.device, deviceOptions(devices));
      if (devices.some((d) => d.id === picked)) this.device.value = picked;
      if (top !== null) {
        this.kids.set("", top);
        this.loaded = true;
        this.redraw();
      }
    });
  }

  private async guard(f: () => Promise<void>): Promise<void> {
    try {
      draw(this.error, nothing);
      await f();
    } catch (e) {
      draw(this.error, toApiError(e).detail);
    }
  }

  /** Shows the node's details; a tree click also opens or closes it. */
  private async choose(oid: string, toggle: boolean): Promise<void> {
    await this.guard(async () => {
      this.chosen = oid;
      if (toggle && this.open.has(oid)) this.open.delete(oid);
      else {
        if (!this.kids.has(oid)) this.kids.set(oid, await api.mibChildren(oid));
        this.open.add(oid);
      }
      draw(this.detail, objectDetails(await api.mibShow(oid)));
      this.redraw();
    });
  }

  private async find(): Promise<void> {
    const text = new FormData(this.search).get("text")?.toString() ?? "";
    await this.guard(async () => {
      const found = await api.mibSearch(text, SEARCH_LIMIT);
      draw(this.detail, searchResults(text, found));
      this.detail.querySelectorAll<HTMLElement>("button[data-oid]").forEach((b) =>
        b.addEventListener("click", () => void this.choose(b.dataset["oid"] ?? "", false)),
      );
    });
  }

  private async walkChosen(): Promise<void> {
    if (this.chosen === null || this.device.value === "") {
      draw(this.error, "Choose an object in the tree and a device first.");
      return;
    }
    const root = this.chosen;
    await this.guard(async () => {
      draw(this.walkBody, html`<p class="muted">Walking .${root}…</p>`);
      draw(this.walkBody, walkRows(await api.walkDevice(this.device.value, root)));
    });
  }

  private level(parent: string): TemplateResult {
    const nodes = this.kids.get(parent) ?? [];
    return html`<ul class="mib-level">${nodes.map(
      (n) => html`<li class=${n.oid === this.chosen ? "chosen" : ""}>${nodeLine(n)}${this.open.has(n.oid) ? this.level(n.oid) : nothing}</li>`,
    )}</ul>`;
  }

  private redraw(): void {
    draw(this.tree, this.level(""));
  }
}
