import { describe, expect, it } from "vitest";
import type { BatchTiming } from "./batch";
import { FrameBatch } from "./batch";
import type { Changes, PendingChanges } from "./model";
import { mergeInto, noChanges } from "./model";

/** A hand-driven clock: frames run on tick(), timers when advance() passes them. */
function frames(): { timing: BatchTiming; tick: () => void; advance: (ms: number) => void; queued: () => number } {
  let queue: Array<() => void> = [];
  let timers: Array<{ at: number; cb: () => void }> = [];
  let t = 1000;
  return {
    timing: {
      frame: (cb) => void queue.push(cb),
      delay: (cb, ms) => void timers.push({ at: t + ms, cb }),
      now: () => t,
    },
    tick: () => {
      const now = queue;
      queue = [];
      for (const cb of now) cb();
    },
    advance: (ms) => {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.cb();
    },
    queued: () => queue.length,
  };
}

function state(id: string): Changes {
  return { alarms: false, devices: false, touched: new Set([id]), reloadInventory: false };
}

describe("FrameBatch", () => {
  it("coalesces a burst of changes into one flush on the next frame", () => {
    const clock = frames();
    const flushed: PendingChanges[] = [];
    const batch = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, (b) => flushed.push(b), 0, clock.timing);
    for (let i = 0; i < 1000; i++) batch.add(state(`dev-${i % 250}`));
    batch.add({ alarms: true, devices: false, touched: new Set(), reloadInventory: false });
    expect(clock.queued()).toBe(1);
    expect(flushed).toHaveLength(0);
    clock.tick();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]?.touched.size).toBe(250);
    expect(flushed[0]?.alarms).toBe(true);
    expect(flushed[0]?.devices).toBe(false);
  });

  it("starts a fresh batch after a flush and does nothing on an empty frame", () => {
    const clock = frames();
    const flushed: PendingChanges[] = [];
    const batch = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, (b) => flushed.push(b), 0, clock.timing);
    clock.tick();
    expect(flushed).toHaveLength(0);
    batch.add(state("a"));
    clock.tick();
    batch.add(state("b"));
    expect(batch.isPending).toBe(true);
    clock.tick();
    expect(flushed.map((b) => [...b.touched])).toEqual([["a"], ["b"]]);
    expect(batch.isPending).toBe(false);
  });

  it("run() flushes at once, and the already scheduled frame then finds nothing", () => {
    const clock = frames();
    let flushes = 0;
    const batch = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, () => (flushes += 1), 0, clock.timing);
    batch.add(state("a"));
    batch.run();
    expect(flushes).toBe(1);
    clock.tick();
    expect(flushes).toBe(1);
  });

  it("never lets one change's set be shared with the accumulator", () => {
    const clock = frames();
    const batch = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, () => undefined, 0, clock.timing);
    const c = state("a");
    batch.add(c);
    batch.add(state("b"));
    expect([...c.touched]).toEqual(["a"]);
  });

  it("with a minimum interval, renders the first change at once and spaces out the rest of a burst", () => {
    const clock = frames();
    const flushed: PendingChanges[] = [];
    const batch = new FrameBatch<Changes, PendingChanges>(noChanges, mergeInto, (b) => flushed.push(b), 250, clock.timing);
    batch.add(state("first"));
    clock.tick();
    expect(flushed).toHaveLength(1);
    // A burst right after: nothing on the next frames until 250 ms have passed.
    batch.add(state("a"));
    clock.advance(16);
    batch.add(state("b"));
    clock.tick();
    clock.advance(100);
    clock.tick();
    expect(flushed).toHaveLength(1);
    clock.advance(150);
    expect(flushed).toHaveLength(1); // the timer asks for a frame; the frame flushes
    clock.tick();
    expect(flushed).toHaveLength(2);
    expect([...(flushed[1]?.touched ?? [])]).toEqual(["a", "b"]);
    // After a quiet spell the next change is immediate again.
    clock.advance(1000);
    batch.add(state("later"));
    clock.tick();
    expect(flushed).toHaveLength(3);
  });
});
