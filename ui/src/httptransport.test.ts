// The team server transport against a recording fetch and a fake WebSocket:
// routes and bodies, the CSRF header on changes only, the server's ApiError
// passed through, `unsupported` for desktop-only commands, 401 handling, and
// events (and a reload after a reconnect) reaching the same listeners.
import { afterEach, describe, expect, it } from "vitest";
import { api, onCoreEvent, onEventsLagged, tauriTransport, teamApi, useTransport } from "./api";
import { ApiFailure } from "./apierror";
import { HttpTransport, route, type HttpEnv } from "./httptransport";
import { auditCsv, csvField } from "./auditview";
import { parseSites } from "./adminview";
import type { AuditEntry } from "./generated/bindings";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

class FakeSocket extends EventTarget {
  closedWith: number | null = null;
  constructor(readonly url: string) {
    super();
  }
  close(code: number): void {
    this.closedWith = code;
  }
  open(): void {
    this.dispatchEvent(new Event("open"));
  }
  message(data: string): void {
    const e = new Event("message") as Event & { data: string };
    e.data = data;
    this.dispatchEvent(e);
  }
  drop(code: number, reason = ""): void {
    const e = new Event("close") as Event & { code: number; reason: string };
    Object.assign(e, { code, reason });
    this.dispatchEvent(e);
  }
}

function env(answer: (s: Sent) => { status: number; body: unknown }) {
  const sent: Sent[] = [];
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const store = new Map<string, string>();
  const e: HttpEnv = {
    origin: "https://team.example:8443",
    fetch: (async (url: string, init: RequestInit) => {
      const s: Sent = {
        url,
        method: init.method ?? "GET",
        headers: init.headers as Record<string, string>,
        body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
      };
      sent.push(s);
      const a = answer(s);
      return new Response(JSON.stringify(a.body), { status: a.status });
    }) as typeof fetch,
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      queueMicrotask(() => s.open());
      return s as unknown as WebSocket;
    },
    storage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
      removeItem: (k) => void store.delete(k),
    },
    setTimeout: (f) => timers.push(f),
  };
  return { e, sent, sockets, timers };
}

afterEach(() => useTransport(tauriTransport));

describe("HTTP transport", () => {
  it("maps commands to REST routes and sends the CSRF token on changes only", async () => {
    const { e, sent } = env((s) =>
      s.url.endsWith("/login") ? { status: 200, body: { csrfToken: "csrf-1", user: {}, expiresAt: "" } } : { status: 200, body: [] },
    );
    const t = new HttpTransport(e);
    useTransport(t);
    expect(t.hasSession()).toBe(false);
    await teamApi.login("admin", "pw");
    expect(t.hasSession()).toBe(true);
    await api.listAlarms(true, 500);
    await api.ackAlarm("a/1", "on it");
    await api.clearAlarm("a1");
    await api.commentAlarm("a1", "note");
    await teamApi.audit({ actor: "ann", action: "alarm.ack", entity: null });
    await api.updateDevice("dev 1", { vendor: "x" } as never);
    expect(sent.map((s) => `${s.method} ${s.url.replace(e.origin, "")}`)).toEqual([
      "POST /api/v1/login",
      "GET /api/v1/alarms?active=true&limit=500",
      "POST /api/v1/alarms/a%2F1/ack",
      "POST /api/v1/alarms/a1/clear",
      "POST /api/v1/alarms/a1/comments",
      "GET /api/v1/audit?actor=ann&action=alarm.ack",
      "PATCH /api/v1/devices/dev%201",
    ]);
    expect(sent[2]?.body).toEqual({ comment: "on it" });
    expect(sent[4]?.body).toEqual({ text: "note" });
    expect(sent[1]?.headers["x-csrf-token"]).toBeUndefined();
    for (const i of [2, 3, 4, 6]) expect(sent[i]?.headers["x-csrf-token"]).toBe("csrf-1");
  });

  it("answers desktop-only commands with `unsupported`, without a request", async () => {
    const { e, sent } = env(() => ({ status: 200, body: null }));
    useTransport(new HttpTransport(e));
    const err = await api.listRules().catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).api.kind).toBe("unsupported");
    expect((err as ApiFailure).api.detail).toContain("not available on the team server");
    expect(await api.startupError()).toBeNull();
    expect(await api.deviceLive()).toEqual([]);
    expect(sent).toHaveLength(0);
    expect(route("start_discovery", {})).toBeNull();
  });

  it("passes the server's ApiError through and reports a 401", async () => {
    const { e } = env((s) =>
      s.url.endsWith("/login")
        ? { status: 423, body: { kind: "locked", detail: "the account is locked", fields: [] } }
        : { status: 401, body: { kind: "unauthorized", detail: "log in", fields: [] } },
    );
    const t = new HttpTransport(e);
    const seen: string[] = [];
    t.onUnauthorized = (err) => seen.push(err.kind);
    useTransport(t);
    const locked = await teamApi.login("a", "b").catch((x: unknown) => x);
    expect((locked as ApiFailure).api).toEqual({ kind: "locked", detail: "the account is locked", fields: [] });
    expect(seen).toEqual([]);
    await expect(api.listDevices()).rejects.toBeInstanceOf(ApiFailure);
    expect(seen).toEqual(["unauthorized"]);
  });

  it("feeds WebSocket events to the core-event listeners and reloads after a reconnect", async () => {
    const { e, sockets, timers } = env(() => ({ status: 200, body: null }));
    const t = new HttpTransport(e);
    useTransport(t);
    const events: unknown[] = [];
    let lagged = 0;
    await onCoreEvent((ev) => events.push(ev));
    await onEventsLagged(() => (lagged += 1));
    expect(sockets.map((s) => s.url)).toEqual(["wss://team.example:8443/api/v1/events"]);
    sockets[0]?.message(JSON.stringify({ type: "alarmAcknowledged", alarm: { id: "a1" } }));
    sockets[0]?.message("not json");
    expect(events).toEqual([{ type: "alarmAcknowledged", alarm: { id: "a1" } }]);
    // The server's word that this socket missed events: a reload, not an event.
    sockets[0]?.message(JSON.stringify({ type: "eventsMissed", count: 4 }));
    expect(events).toHaveLength(1);
    expect(lagged).toBe(1);
    sockets[0]?.drop(1006);
    expect(timers).toHaveLength(1);
    timers[0]?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(sockets).toHaveLength(2);
    expect(lagged).toBe(2);
    // Closed for its credentials: no reconnect, the page is told.
    const seen: string[] = [];
    t.onUnauthorized = (err) => seen.push(err.kind);
    sockets[1]?.drop(1008, "credentials revoked or changed");
    expect(seen).toEqual(["unauthorized"]);
    expect(timers).toHaveLength(1);
  });
});

describe("admin helpers", () => {
  it("exports the audit rows as CSV that a spreadsheet will not run", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(null)).toBe("");
    expect(csvField({ acked: true })).toBe('"{""acked"":true}"');
    const row = { id: 1, at: "2026-12-04T10:00:00Z", actor: "ann", actorId: null, source: "127.0.0.1", action: "alarm.ack", entity: "alarm", entityId: "a1", siteId: null, before: null, after: null } as AuditEntry;
    expect(auditCsv([row])).toBe("at,actor,source,action,entity,entityId,siteId,before,after\r\n2026-12-04T10:00:00Z,ann,127.0.0.1,alarm.ack,alarm,a1,,,\r\n");
  });

  it("reads a sites box", () => {
    expect(parseSites("")).toEqual({ allSites: true, sites: [] });
    expect(parseSites(" * ")).toEqual({ allSites: true, sites: [] });
    expect(parseSites("site-a, site-b,")).toEqual({ allSites: false, sites: ["site-a", "site-b"] });
  });
});
