// A virtualised list: fixed row height, only the visible rows (plus a little
// overscan) are in the DOM, so 100,000 rows scroll like 30. The window math is
// pure and tested; the class is a thin DOM wrapper around it. Rows are
// lit-html templates: redrawing the same window updates only the bindings
// that changed, so rows and their buttons stay the same elements.
import { draw, type TemplateResult } from "./html";

export interface VirtualWindow {
  /** First row to render (inclusive). */
  readonly start: number;
  /** Row after the last to render (exclusive). */
  readonly end: number;
  /** Where the first rendered row sits, in px from the top of the content. */
  readonly offsetTop: number;
  /** Height of the whole (mostly unrendered) content, in px. */
  readonly totalHeight: number;
}

export function virtualWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 4,
): VirtualWindow {
  if (!(rowHeight > 0)) throw new RangeError(`rowHeight must be positive, got ${rowHeight}`);
  const n = Math.max(0, Math.floor(count));
  const totalHeight = n * rowHeight;
  if (n === 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const maxScroll = Math.max(0, totalHeight - Math.max(0, viewportHeight));
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` fully into view (unchanged when it already is). */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private frame = 0;
  private lastKey = "";
  /** Rows currently in the DOM (for the test hook and tests of the wiring). */
  rendered = 0;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly rowHeight: number,
    private readonly renderRow: (item: T, index: number) => TemplateResult,
  ) {
    viewport.classList.add("vlist");
    this.spacer = document.createElement("div");
    this.spacer.className = "vlist-spacer";
    this.rows = document.createElement("div");
    this.rows.className = "vlist-rows";
    this.spacer.append(this.rows);
    viewport.replaceChildren(this.spacer);
    viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.lastKey = "";
    this.render();
  }

  /** Redraws the visible rows (e.g. relative times) without new data. */
  refresh(): void {
    this.lastKey = "";
    this.render();
  }

  get length(): number {
    return this.items.length;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const w = virtualWindow(this.viewport.scrollTop, this.viewport.clientHeight, this.rowHeight, this.items.length);
    // Scrolling within the overscan band changes nothing: skip the DOM work.
    const key = `${w.start}:${w.end}:${w.totalHeight}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    // CSSOM writes, not style attributes: the CSP forbids inline styles.
    this.spacer.style.height = `${w.totalHeight}px`;
    this.rows.style.transform = `translateY(${w.offsetTop}px)`;
    const rows: TemplateResult[] = [];
    for (let i = w.start; i < w.end; i++) rows.push(this.renderRow(this.items[i] as T, i));
    draw(this.rows, rows);
    this.rendered = w.end - w.start;
  }
}
