// Coalesces changes into one flush per animation frame: a burst of 1,000
// events (the first poll round) costs a handful of renders, not 1,000. With
// `minIntervalMs`, flushes during a burst are also spaced out: the first
// change after a quiet spell renders on the next frame, later ones wait until
// the interval has passed since the last flush (every flush repaints, and
// without a GPU a repaint is the expensive part). The clock and schedulers are
// injectable so tests drive time by hand.

export interface BatchTiming {
  /** Runs the callback before the next repaint (requestAnimationFrame). */
  frame(callback: () => void): void;
  /** Runs the callback after `ms` (setTimeout). */
  delay(callback: () => void, ms: number): void;
  now(): number;
}

export const BROWSER_TIMING: BatchTiming = {
  frame: (cb) => void requestAnimationFrame(() => cb()),
  delay: (cb, ms) => void window.setTimeout(cb, ms),
  now: () => performance.now(),
};

export class FrameBatch<C, A = C> {
  private pending: A | null = null;
  private scheduled = false;
  private lastFlush = Number.NEGATIVE_INFINITY;

  /**
   * `empty` makes a fresh accumulator, `merge` folds a change into it in
   * place, `flush` gets the accumulated changes.
   */
  constructor(
    private readonly empty: () => A,
    private readonly merge: (into: A, change: C) => void,
    private readonly flush: (batch: A) => void,
    private readonly minIntervalMs = 0,
    private readonly timing: BatchTiming = BROWSER_TIMING,
  ) {}

  /** Queues a change; the first change after a flush schedules the next one. */
  add(change: C): void {
    if (this.pending === null) this.pending = this.empty();
    this.merge(this.pending, change);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlush + this.minIntervalMs - this.timing.now();
    if (wait > 0) this.timing.delay(() => this.timing.frame(() => this.run()), wait);
    else this.timing.frame(() => this.run());
  }

  get isPending(): boolean {
    return this.pending !== null;
  }

  /** Flushes now what is queued (the scheduled frame then finds nothing to do). */
  run(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = null;
    if (batch === null) return;
    this.lastFlush = this.timing.now();
    this.flush(batch);
  }
}
