// The device menu's Ping and SNMP walk. Both ask the service with the
// device's stored address and credential (App::ping_device / walk_device), so
// the user types nothing but, for a walk, the subtree. One dialog serves
// both; its body is drawn by the pure templates below, tested without a shell.
import type { Device, DeviceWalk, PingResult, VarBindView } from "./generated/bindings";
import { toApiError } from "./apierror";
import { errorBanner } from "./devices";
import { formatMs, formatNumber, formatPercent } from "./format";
import { draw, html, nothing, type TemplateResult } from "./html";

/** Subtrees offered in the walk form; the input takes any numeric OID. */
export const WALK_ROOTS: readonly { oid: string; label: string }[] = [
  { oid: "1.3.6.1.2.1.1", label: "system" },
  { oid: "1.3.6.1.2.1.2.2", label: "ifTable" },
  { oid: "1.3.6.1.2.1.31.1.1", label: "ifXTable" },
  { oid: "1.3.6.1.2.1.47.1.1.1", label: "entPhysicalTable" },
  { oid: "1.0.8802.1.1.2.1.4", label: "LLDP neighbours" },
  { oid: ".1", label: "everything (at most 5,000 rows)" },
];

/** A varbind's value as a line of text: net-snmp's `TYPE: value` shape. */
export function varbindText(v: VarBindView): string {
  if (v.value === null) return v.type;
  if (v.type === "STRING") return `STRING: "${String(v.value)}"`;
  return `${v.type}: ${String(v.value)}`;
}

/** Rows whose OID or value contains `filter` (case-insensitive). */
export function filterRows(rows: readonly VarBindView[], filter: string): VarBindView[] {
  const f = filter.trim().toLowerCase();
  if (f === "") return [...rows];
  return rows.filter((r) => r.oid.toLowerCase().includes(f) || varbindText(r).toLowerCase().includes(f));
}

const ms = (v: number | null): string => (v === null ? "–" : formatMs(v));

export function pingReport(d: Device, r: PingResult): TemplateResult {
  const verdict = r.received === 0 ? "no reply" : r.received === r.sent ? "every request answered" : "some requests lost";
  return html`<p class="diag-summary ${r.received === 0 ? "bad" : ""}">
      ${d.name} (${r.address}): ${formatNumber(r.received)} of ${formatNumber(r.sent)} answered, ${formatPercent(r.lossPercent)} loss —
      ${verdict}
    </p>
    <dl class="diag-stats">
      <dt>min</dt><dd>${ms(r.rttMinMs)}</dd><dt>avg</dt><dd>${ms(r.rttAvgMs)}</dd><dt>max</dt><dd>${ms(r.rttMaxMs)}</dd><dt>jitter</dt><dd>${ms(r.jitterMs)}</dd>
    </dl>
    <ol class="diag-rtts">
      ${r.rttsMs.map((v) => html`<li>${v === null ? "lost" : formatMs(v)}</li>`)}
    </ol>
    ${r.error === null ? nothing : html`<p class="diag-error">${r.error}</p>`}`;
}

export function walkReport(w: DeviceWalk, filter: string): TemplateResult {
  const shown = filterRows(w.rows, filter);
  const count =
    shown.length === w.rows.length
      ? `${formatNumber(w.rows.length)} rows from ${w.agent}`
      : `${formatNumber(shown.length)} of ${formatNumber(w.rows.length)} rows from ${w.agent}`;
  return html`<p class="diag-summary">${count}${w.truncated ? " — stopped at 5,000 rows; walk a smaller subtree for the rest" : ""}</p>
    ${w.rows.length === 0
      ? html`<p class="muted">Nothing under this subtree.</p>`
      : html`<table class="diag-walk">
          <thead><tr><th scope="col">OID</th><th scope="col">Value</th></tr></thead>
          <tbody>${shown.map((r) => html`<tr><td><code>${r.oid}</code></td><td>${varbindText(r)}</td></tr>`)}</tbody>
        </table>`}`;
}

function walkForm(d: Device, root: string): TemplateResult {
  return html`<form class="diag-form" novalidate>
    <label for="diag-root">Subtree</label>
    <input id="diag-root" name="root" list="diag-roots" .value=${root} autocomplete="off" spellcheck="false" />
    <datalist id="diag-roots">${WALK_ROOTS.map((r) => html`<option value=${r.oid}>${r.label}</option>`)}</datalist>
    <button type="submit">Walk ${d.name}</button>
    <input type="search" name="filter" placeholder="Filter rows" aria-label="Filter rows" autocomplete="off" />
  </form>`;
}

export interface DiagApi {
  pingDevice(key: string): Promise<PingResult>;
  walkDevice(key: string, root: string): Promise<DeviceWalk>;
}

export class DiagDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly body: HTMLElement;
  private readonly head: HTMLElement;
  private readonly tools: HTMLElement;
  private lastWalk: DeviceWalk | null = null;
  /** Drops answers to a request that a newer one replaced. */
  private seq = 0;

  constructor(private readonly api: DiagApi) {
    this.dialog = document.createElement("dialog");
    this.dialog.id = "diag-dialog";
    this.dialog.className = "inv-dialog diag-dialog";
    this.dialog.setAttribute("aria-labelledby", "diag-title");
    draw(
      this.dialog,
      html`<h3 id="diag-title"></h3><div class="diag-tools"></div><div class="diag-body" aria-live="polite"></div>
        <div class="dialog-actions"><button type="button" data-action="close">Close</button></div>`,
    );
    this.head = this.dialog.querySelector<HTMLElement>("#diag-title") as HTMLElement;
    this.tools = this.dialog.querySelector<HTMLElement>(".diag-tools") as HTMLElement;
    this.body = this.dialog.querySelector<HTMLElement>(".diag-body") as HTMLElement;
    document.body.append(this.dialog);
    this.dialog.addEventListener("click", (e) => {
      if (e.target instanceof Element && e.target.closest("button[data-action=close]")) this.dialog.close();
    });
    this.dialog.addEventListener("close", () => this.seq++);
  }

  async ping(d: Device): Promise<void> {
    const seq = this.show(`Ping ${d.name}`);
    draw(this.tools, html`<button type="button" class="small" data-action="again">Ping again</button>`);
    this.tools.querySelector("button")?.addEventListener("click", () => void this.ping(d));
    draw(this.body, html`<p class="muted">Pinging ${d.address}…</p>`);
    await this.settle(seq, this.api.pingDevice(d.id), (r) => pingReport(d, r));
  }

  async walk(d: Device, root = WALK_ROOTS[0]?.oid ?? ".1"): Promise<void> {
    this.show(`SNMP walk of ${d.name}`);
    this.lastWalk = null;
    draw(this.tools, walkForm(d, root));
    draw(this.body, nothing);
    const form = this.tools.querySelector("form") as HTMLFormElement;
    const filter = form.elements.namedItem("filter") as HTMLInputElement;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.runWalk(d, (form.elements.namedItem("root") as HTMLInputElement).value, filter);
    });
    filter.addEventListener("input", () => {
      if (this.lastWalk !== null) draw(this.body, walkReport(this.lastWalk, filter.value));
    });
    await this.runWalk(d, root, filter);
  }

  private async runWalk(d: Device, root: string, filter: HTMLInputElement): Promise<void> {
    const seq = ++this.seq;
    draw(this.body, html`<p class="muted">Walking ${root} on ${d.address}…</p>`);
    await this.settle(seq, this.api.walkDevice(d.id, root), (w) => {
      this.lastWalk = w;
      return walkReport(w, filter.value);
    });
  }

  private show(title: string): number {
    this.head.textContent = title;
    if (!this.dialog.open) this.dialog.showModal();
    return ++this.seq;
  }

  private async settle<T>(seq: number, work: Promise<T>, view: (v: T) => TemplateResult): Promise<void> {
    try {
      const v = await work;
      if (seq === this.seq) draw(this.body, view(v));
    } catch (e) {
      if (seq === this.seq) draw(this.body, errorBanner(toApiError(e)));
    }
  }
}
