// The console's multi-select over its shown alarms, in list order: a click
// toggles one id, a shift-click sets the range from the last clicked row (the
// anchor) to this one, the way file managers and mail clients do. Ids, not
// indexes: a re-sort or a new alarm does not move the selection to other
// rows, and ids that leave the list are dropped (`retain`), so a bulk action
// never touches an alarm the operator can no longer see. (The devices table
// has its own, selection.ts.)
export class AlarmSelection<Id extends string> {
  private readonly ids = new Set<Id>();
  private anchor: Id | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: Id): boolean {
    return this.ids.has(id);
  }

  /** The selected ids in list order. */
  inOrder(order: readonly Id[]): Id[] {
    return order.filter((id) => this.ids.has(id));
  }

  /**
   * A click on `id`'s checkbox. With `range`, every row between the anchor and
   * `id` (inclusive, in `order`) takes the clicked row's new state; without an
   * anchor in `order` it is a plain toggle.
   */
  click(id: Id, order: readonly Id[], range: boolean): void {
    const on = !this.ids.has(id);
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor);
    const to = order.indexOf(id);
    if (range && from >= 0 && to >= 0) {
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      for (const x of order.slice(lo, hi + 1)) {
        if (on) this.ids.add(x);
        else this.ids.delete(x);
      }
    } else if (on) this.ids.add(id);
    else this.ids.delete(id);
    this.anchor = id;
  }

  /** Selects all of `order`, or clears it when all of it is already selected. */
  toggleAll(order: readonly Id[]): void {
    const all = order.length > 0 && order.every((id) => this.ids.has(id));
    if (all) for (const id of order) this.ids.delete(id);
    else for (const id of order) this.ids.add(id);
    this.anchor = null;
  }

  /** "all", "some" or "none" of `order` is selected (for the header checkbox). */
  state(order: readonly Id[]): "all" | "some" | "none" {
    const n = order.reduce((k, id) => k + (this.ids.has(id) ? 1 : 0), 0);
    return n === 0 ? "none" : n === order.length ? "all" : "some";
  }

  /** Drops ids not in `present` (filtered out, cleared, removed). Returns whether anything changed. */
  retain(present: Iterable<Id>): boolean {
    const keep = new Set(present);
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

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }
}
