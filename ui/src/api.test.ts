// Every command the shell registers has exactly one typed function in api.ts,
// and api.ts calls no command the shell lacks: a new command without a
// function (or a renamed one) fails here, not at run time in the window.
/// <reference types="vite/client" />
import { afterEach, describe, expect, it } from "vitest";
import { api, eachEvent, onCoreEvent, onEventsLagged, tauriTransport, useTransport } from "./api";
import type { Channel, Transport } from "./api";
import { ApiFailure, toApiError } from "./apierror";

// Vite reads the file as text at test time; no Node types needed in the UI's tsconfig.
import LIB_RS from "../../src-tauri/lib.rs?raw";

/** The command names in lib.rs's `generate_handler![...]`, module paths dropped. */
function registeredCommands(): string[] {
  const list = /generate_handler!\[([\s\S]*?)\]/.exec(LIB_RS)?.[1];
  if (list === undefined) throw new Error("no generate_handler! in lib.rs");
  return list
    .split("\n")
    .map((l) => l.replace(/\/\/.*$/, "").trim())
    .flatMap((l) => l.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => p.split("::").pop() ?? p);
}

interface Recorded {
  command: string;
  args: Record<string, unknown>;
}

function recorder(answer: (command: string) => unknown = () => null): { t: Transport; calls: Recorded[] } {
  const calls: Recorded[] = [];
  return {
    calls,
    t: {
      call: async (command, args) => {
        calls.push({ command, args });
        return answer(command);
      },
      subscribe: async () => () => undefined,
    },
  };
}

afterEach(() => useTransport(tauriTransport));

describe("api module", () => {
  it("has one function per registered command, and no other", async () => {
    const registered = registeredCommands();
    expect(registered.length).toBeGreaterThan(30);
    const { t, calls } = recorder();
    useTransport(t);
    const byFunction = new Map<string, string>();
    for (const [name, fn] of Object.entries(api)) {
      const before = calls.length;
      // Arguments do not matter to the recording transport.
      await (fn as (...a: unknown[]) => Promise<unknown>)();
      expect(calls.length, `${name} makes one call`).toBe(before + 1);
      byFunction.set(name, calls[calls.length - 1]?.command ?? "");
    }
    const called = [...byFunction.values()];
    expect(new Set(called).size, "two functions call the same command").toBe(called.length);
    const missing = registered.filter((c) => !called.includes(c));
    const unknown = called.filter((c) => !registered.includes(c));
    expect(missing, "commands without a function in api.ts").toEqual([]);
    expect(unknown, "api.ts calls commands the shell does not register").toEqual([]);
  });

  it("sends arguments in camelCase as Tauri names them", async () => {
    const { t, calls } = recorder(() => ({ ifIndex: 3 }));
    useTransport(t);
    await api.listAlarms(true, 10);
    await api.deviceHistory("d1", "2025-01-01T00:00:00Z", "2025-01-01T01:00:00Z", 200, null);
    expect(calls[0]).toEqual({ command: "list_alarms", args: { activeOnly: true, limit: 10 } });
    expect(calls[1]?.args).toEqual({
      key: "d1",
      from: "2025-01-01T00:00:00Z",
      to: "2025-01-01T01:00:00Z",
      maxPoints: 200,
      ifIndex: null,
    });
  });

  it("throws every failure as an ApiFailure with the service's ApiError", async () => {
    const fail = (reason: unknown): Transport => ({
      call: async () => Promise.reject(reason),
      subscribe: async () => () => undefined,
    });
    const served = { kind: "validation", detail: "bad", fields: [{ field: "name", message: "empty" }] };
    useTransport(fail(served));
    const err: unknown = await api.addSite({ name: "", lat: null, lon: null, address: null } as never).catch((e) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect(toApiError(err)).toEqual(served);
    useTransport(fail("command not found"));
    expect(toApiError(await api.listDevices().catch((e) => e))).toEqual({
      kind: "internal",
      detail: "command not found",
      fields: [],
    });
    // The test hook never fails the page.
    await expect(api.uiRendered("x")).resolves.toBeNull();
  });

  it("reads startup and monitor errors as ApiError or null", async () => {
    const served = { kind: "store", detail: "in use", fields: [] };
    useTransport(recorder((c) => (c === "startup_error" ? served : "not an error")).t);
    expect(await api.startupError()).toEqual(served);
    expect(await api.monitorError()).toBeNull();
  });

  it("delivers events through the transport", async () => {
    const handlers = new Map<Channel, (p: unknown) => void>();
    useTransport({
      call: async () => null,
      subscribe: async (channel, handler) => {
        handlers.set(channel, handler);
        return () => handlers.delete(channel);
      },
    });
    const seen: string[] = [];
    const off = await onCoreEvent((ev) => seen.push(ev.type));
    await onEventsLagged(() => seen.push("lagged"));
    handlers.get("core-event")?.({ type: "inventoryChanged", entity: "device", id: "d1" });
    handlers.get("core-event-lagged")?.(12);
    off();
    expect(seen).toEqual(["inventoryChanged", "lagged"]);
    expect(handlers.has("core-event")).toBe(false);
  });

  it("hands on the shell's batches one event at a time, in order", () => {
    const seen: unknown[] = [];
    eachEvent([{ id: 1 }, { id: 2 }, { id: 3 }], (e) => seen.push(e));
    eachEvent({ id: 4 }, (e) => seen.push(e));
    eachEvent([], (e) => seen.push(e));
    expect(seen).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  });
});
