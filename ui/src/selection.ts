// The devices table's selection: a set of device ids plus the anchor of the
// last plain click, so shift-click selects the range between them in the
// order the table shows now (after search and sort). Ids, not row indices:
// a re-sort or a reload keeps what is selected.
export interface ClickMods {
  readonly shift: boolean;
}

export class Selection {
  private readonly ids = new Set<string>();
  private anchor: string | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Selected ids in the given (table) order; ids not in `order` are left out. */
  inOrder(order: readonly string[]): string[] {
    return order.filter((id) => this.ids.has(id));
  }

  all(): string[] {
    return [...this.ids];
  }

  /**
   * A checkbox click (or Space): toggles `id`, or with shift sets every row
   * from the anchor to `id` to the anchor's state. The anchor moves to `id`.
   */
  click(order: readonly string[], id: string, mods: ClickMods): void {
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor);
    const to = order.indexOf(id);
    if (mods.shift && from >= 0 && to >= 0) {
      const on = this.anchor !== null && this.ids.has(this.anchor);
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      for (let i = lo; i <= hi; i++) {
        const rid = order[i];
        if (rid === undefined) continue;
        if (on) this.ids.add(rid);
        else this.ids.delete(rid);
      }
    } else if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = id;
  }

  /** "Select all" over what the filter shows: selects them all, or clears them when all already are. */
  toggleAll(shown: readonly string[]): void {
    if (shown.length > 0 && shown.every((id) => this.ids.has(id))) for (const id of shown) this.ids.delete(id);
    else for (const id of shown) this.ids.add(id);
  }

  /** The state of a "select all" checkbox over `shown`. */
  allState(shown: readonly string[]): "none" | "some" | "all" {
    let n = 0;
    for (const id of shown) if (this.ids.has(id)) n++;
    return n === 0 ? "none" : n === shown.length ? "all" : "some";
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /** Forgets devices that no longer exist (removed here or elsewhere). */
  retain(existing: ReadonlySet<string> | ReadonlyMap<string, unknown>): void {
    for (const id of [...this.ids]) if (!existing.has(id)) this.ids.delete(id);
    if (this.anchor !== null && !existing.has(this.anchor)) this.anchor = null;
  }
}
