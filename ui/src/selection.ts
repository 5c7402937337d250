// Multi-select for the devices table and the alarm console: a set of ids
// plus the anchor of the last click, so shift-click selects (or clears) the
// range between them in the order the list shows now (after search, filters
// and sort). Ids, not row indices: a re-sort or a reload keeps what is
// selected, and `retain` drops ids that left the list, so a bulk action never
// touches a row the user can no longer see.
export interface ClickMods {
  readonly shift: boolean;
}

export class Selection<Id extends string = string> {
  private readonly ids = new Set<Id>();
  private anchor: Id | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: Id): boolean {
    return this.ids.has(id);
  }

  /** Selected ids in the given (table) order; ids not in `order` are left out. */
  inOrder(order: readonly Id[]): Id[] {
    return order.filter((id) => this.ids.has(id));
  }

  all(): Id[] {
    return [...this.ids];
  }

  /**
   * A checkbox click (or Space): toggles `id`, or with shift sets every row
   * from the anchor to `id` to the anchor's state. The anchor moves to `id`.
   */
  click(order: readonly Id[], id: Id, mods: ClickMods): void {
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
  toggleAll(shown: readonly Id[]): void {
    if (shown.length > 0 && shown.every((id) => this.ids.has(id))) for (const id of shown) this.ids.delete(id);
    else for (const id of shown) this.ids.add(id);
  }

  /** The state of a "select all" checkbox over `shown`. */
  allState(shown: readonly Id[]): "none" | "some" | "all" {
    let n = 0;
    for (const id of shown) if (this.ids.has(id)) n++;
    return n === 0 ? "none" : n === shown.length ? "all" : "some";
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /**
   * Drops ids not in `present`: the ids still listed, or a set or map of
   * those that exist. Says whether anything was dropped.
   */
  retain(present: Iterable<Id> | ReadonlySet<Id> | ReadonlyMap<Id, unknown>): boolean {
    const keep: { has(id: Id): boolean } =
      present instanceof Set || present instanceof Map ? present : new Set(present as Iterable<Id>);
    let changed = false;
    for (const id of [...this.ids]) {
      if (!keep.has(id)) {
        this.ids.delete(id);
        changed = true;
      }
    }
    if (this.anchor !== null && !keep.has(this.anchor)) this.anchor = null;
    return changed;
  }
}
