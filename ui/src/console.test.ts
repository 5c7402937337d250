// @vitest-environment jsdom
// The console's wiring, on the console's part of index.html: a row click
// opens the drawer, shift-click selects a range, "Acknowledge selected" acks
// every selected unacknowledged alarm once with the one comment.
import { beforeAll, describe, expect, it, vi } from "vitest";
import INDEX_HTML from "../index.html?raw";
import { alarm } from "./fixtures";

beforeAll(() => {
  // jsdom has neither; the virtual list only needs them to exist.
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
  globalThis.requestAnimationFrame = (cb: FrameRequestCallback): number => setTimeout(() => cb(0), 0) as unknown as number;
  const section = /<section class="console"[\s\S]*?<\/section>/.exec(INDEX_HTML)?.[0] ?? "";
  document.body.innerHTML = section;
});

async function setup() {
  const { AlarmConsole } = await import("./console");
  const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const ack = vi.fn(async () => {});
  const c = new AlarmConsole(
    {
      list: byId("alarm-list"),
      search: byId("console-search"),
      ackState: byId("console-ack"),
      site: byId("console-site"),
      count: byId("console-count"),
      empty: byId("console-empty"),
      error: byId("console-error"),
      ackForm: byId("ack-form"),
      ackWhat: byId("ack-what"),
      ackComment: byId("ack-comment"),
      ackCancel: byId("ack-cancel"),
    },
    { ack, clear: vi.fn(async () => {}) },
  );
  const alarms = [
    alarm({ id: "a1", specificProblem: "icmpNoReply" }),
    alarm({ id: "a2", ackedAt: "2025-01-01T00:00:00Z", ackedBy: "ops" }),
    alarm({ id: "a3", specificProblem: "sysUpTimeReset" }),
  ];
  c.setAlarms(alarms, () => "r1");
  return { c, ack };
}

const rowEl = (id: string, css: string): HTMLElement => {
  const el = document.querySelector<HTMLElement>(`#alarm-list .alarm-row[data-id="${id}"] ${css}`);
  if (el === null) throw new Error(`no ${css} in row ${id}`);
  return el;
};

describe("alarm console wiring", () => {
  it("opens the drawer from a row, selects a range, acks the selection once each", async () => {
    const { c, ack } = await setup();
    rowEl("a1", ".who").click();
    expect(c.openAlarm).toBe("a1");
    const drawer = document.getElementById("alarm-drawer");
    expect(drawer?.hidden).toBe(false);
    expect(drawer?.textContent).toContain("No reply to ping");
    expect(drawer?.textContent).toContain("icmpNoReply");

    rowEl("a1", "input[data-action=select]").click();
    rowEl("a3", "input[data-action=select]").dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    const bulk = document.getElementById("console-bulk") as HTMLFormElement;
    expect(bulk.hidden).toBe(false);
    expect(document.getElementById("bulk-count")?.textContent).toBe("3 selected (2 not acknowledged)");

    (document.getElementById("bulk-comment") as HTMLInputElement).value = "maintenance";
    bulk.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(ack).toHaveBeenCalledTimes(2));
    expect(ack.mock.calls).toEqual([
      ["a1", "maintenance"],
      ["a3", "maintenance"],
    ]);
    await vi.waitFor(() => expect(bulk.hidden).toBe(true));
  });
});
