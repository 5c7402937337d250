// The browser's transport to the team server, beside Tauri IPC (api.ts picks
// one at start). Each command the console needs maps to a REST route of
// meridian-server; a command the server does not serve fails with an
// `unsupported` ApiError ("not available on the team server"), so screens
// can hide or say so. State changes carry the session's CSRF token. Core
// events arrive over the server's WebSocket and reach the same listeners the
// Tauri events do; after a reconnect, or when the server says the socket
// missed events (`eventsMissed`), the "lagged" listeners reload, because
// those events are gone.
import type { Channel, Transport } from "./api";
import type { ApiError } from "./generated/bindings";
import { ApiFailure, isApiError } from "./apierror";

export const NOT_ON_SERVER = "not available on the team server";

function isEventsMissed(e: unknown): e is { type: "eventsMissed"; count: number } {
  return typeof e === "object" && e !== null && (e as { type?: unknown }).type === "eventsMissed";
}
const CSRF_KEY = "meridian.csrf";
/** Reconnect waits: 1 s, doubling to 30 s. */
const RECONNECT_MS = [1000, 2000, 4000, 8000, 16_000, 30_000];

type Method = "GET" | "POST" | "PATCH" | "DELETE";
interface Rest {
  method: Method;
  path: string;
  body?: unknown;
}
/** A REST call, an answer given here (the server has no monitor of its own), or none. */
type Mapped = Rest | { answer: unknown } | null;

const seg = (v: unknown): string => encodeURIComponent(String(v ?? ""));

function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/** The route of a command, from its camelCase arguments (the same ones Tauri gets). */
export function route(command: string, a: Record<string, unknown>): Mapped {
  const get = (path: string): Rest => ({ method: "GET", path });
  switch (command) {
    // Questions about the desktop's own process: the server answers them by being up.
    case "startup_error":
    case "monitor_error":
    case "ui_rendered":
      return { answer: null };
    // Live RTT/loss come from a desktop's own monitor; on the server states arrive as events.
    case "device_live":
      return { answer: [] };
    case "list_devices":
      return get("/api/v1/devices");
    case "show_device":
      return get(`/api/v1/devices/${seg(a["key"])}`);
    case "add_device":
      return { method: "POST", path: "/api/v1/devices", body: a["input"] };
    case "update_device":
      return { method: "PATCH", path: `/api/v1/devices/${seg(a["key"])}`, body: a["patch"] };
    case "remove_device":
      return { method: "DELETE", path: `/api/v1/devices/${seg(a["key"])}` };
    case "list_sites":
      return get("/api/v1/sites");
    case "list_alarms":
      return get(`/api/v1/alarms${query({ active: a["activeOnly"], limit: a["limit"] })}`);
    case "ack_alarm":
      return { method: "POST", path: `/api/v1/alarms/${seg(a["id"])}/ack`, body: { comment: a["comment"] ?? null } };
    case "clear_alarm":
      return { method: "POST", path: `/api/v1/alarms/${seg(a["id"])}/clear` };
    case "comment_alarm":
      return { method: "POST", path: `/api/v1/alarms/${seg(a["id"])}/comments`, body: { text: a["text"] } };
    // The team server's own commands (teamApi in api.ts).
    case "login":
      return { method: "POST", path: "/api/v1/login", body: { name: a["name"], password: a["password"] } };
    case "logout":
      return { method: "POST", path: "/api/v1/logout" };
    case "me":
      return get("/api/v1/me");
    case "list_users":
      return get("/api/v1/users");
    case "add_user":
      return { method: "POST", path: "/api/v1/users", body: a["input"] };
    case "update_user":
      return { method: "PATCH", path: `/api/v1/users/${seg(a["id"])}`, body: a["patch"] };
    case "remove_user":
      return { method: "DELETE", path: `/api/v1/users/${seg(a["id"])}` };
    case "list_tokens":
      return get("/api/v1/tokens");
    case "add_token":
      return { method: "POST", path: "/api/v1/tokens", body: a["input"] };
    case "revoke_token":
      return { method: "DELETE", path: `/api/v1/tokens/${seg(a["id"])}` };
    case "audit":
      return get(`/api/v1/audit${query((a["filter"] ?? {}) as Record<string, unknown>)}`);
    default:
      return null;
  }
}

export function unsupported(command: string): ApiError {
  return { kind: "unsupported", detail: `${command.replaceAll("_", " ")}: ${NOT_ON_SERVER}`, fields: [] };
}

/** What the transport needs from the browser (tests pass their own). */
export interface HttpEnv {
  origin: string;
  fetch: typeof fetch;
  openSocket: (url: string) => WebSocket;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  setTimeout: (f: () => void, ms: number) => unknown;
}

export function browserEnv(): HttpEnv {
  return {
    origin: window.location.origin,
    fetch: window.fetch.bind(window),
    openSocket: (url) => new WebSocket(url),
    storage: window.sessionStorage,
    setTimeout: (f, ms) => window.setTimeout(f, ms),
  };
}

export class HttpTransport implements Transport {
  private readonly handlers = new Map<Channel, Set<(payload: unknown) => void>>();
  private socket: WebSocket | null = null;
  private failures = 0;
  private closed = false;
  /** Called on a 401 (or a socket closed for its credentials): the page shows the login. */
  onUnauthorized: (err: ApiError) => void = () => undefined;

  constructor(private readonly env: HttpEnv) {}

  async call(command: string, args: Record<string, unknown>): Promise<unknown> {
    const r = route(command, args);
    if (r === null) throw new ApiFailure(unsupported(command));
    if ("answer" in r) return r.answer;
    const headers: Record<string, string> = { accept: "application/json" };
    if (r.body !== undefined) headers["content-type"] = "application/json";
    const csrf = this.env.storage.getItem(CSRF_KEY);
    if (r.method !== "GET" && csrf !== null) headers["x-csrf-token"] = csrf;
    let res: Response;
    try {
      res = await this.env.fetch(`${this.env.origin}${r.path}`, {
        method: r.method,
        headers,
        credentials: "same-origin",
        ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
      });
    } catch (e) {
      throw new ApiFailure({ kind: "network", detail: `the team server did not answer: ${String(e)}`, fields: [] });
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const err: ApiError = isApiError(body)
        ? { kind: body.kind, detail: body.detail, fields: Array.isArray(body.fields) ? body.fields : [] }
        : { kind: "internal", detail: `HTTP ${res.status} from the team server`, fields: [] };
      if (res.status === 401 && command !== "login") this.onUnauthorized(err);
      throw new ApiFailure(err);
    }
    if (command === "login" && typeof body === "object" && body !== null) {
      const token = (body as Record<string, unknown>)["csrfToken"];
      if (typeof token === "string") this.env.storage.setItem(CSRF_KEY, token);
    }
    if (command === "logout") this.forget();
    return body;
  }

  /** Whether this tab holds a session's CSRF token (a reload keeps it; a new tab logs in). */
  hasSession(): boolean {
    return this.env.storage.getItem(CSRF_KEY) !== null;
  }

  /** Drops the CSRF token and the event stream (logout, or the session ended). */
  forget(): void {
    this.env.storage.removeItem(CSRF_KEY);
    this.closed = true;
    this.socket?.close(1000);
    this.socket = null;
  }

  async subscribe(channel: Channel, handler: (payload: unknown) => void): Promise<() => void> {
    let set = this.handlers.get(channel);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (channel === "core-event" && this.socket === null) await this.connect();
    return () => set.delete(handler);
  }

  private emit(channel: Channel, payload: unknown): void {
    for (const h of this.handlers.get(channel) ?? []) h(payload);
  }

  /** Resolves once the socket is open or has failed (it then retries on its own). */
  private connect(reconnect = false): Promise<void> {
    this.closed = false;
    const url = `${this.env.origin.replace(/^http/, "ws")}/api/v1/events`;
    const ws = this.env.openSocket(url);
    this.socket = ws;
    return new Promise((resolve) => {
      ws.addEventListener("open", () => {
        this.failures = 0;
        // Whatever happened while the socket was down was not heard: reload.
        if (reconnect) this.emit("core-event-lagged", null);
        resolve();
      });
      ws.addEventListener("message", (m: MessageEvent) => {
        if (typeof m.data !== "string") return;
        try {
          const event: unknown = JSON.parse(m.data);
          // The server says this socket missed events (it fell behind, or a
          // replica read them too late): reload, as after a reconnect.
          if (isEventsMissed(event)) this.emit("core-event-lagged", event.count);
          else this.emit("core-event", event);
        } catch {
          // Not JSON: the server sends none such; ignore rather than break the page.
        }
      });
      ws.addEventListener("close", (c: CloseEvent) => {
        resolve();
        if (this.socket !== ws || this.closed) return;
        this.socket = null;
        if (c.code === 1008) {
          this.onUnauthorized({ kind: "unauthorized", detail: c.reason || "the session ended", fields: [] });
          return;
        }
        const wait = RECONNECT_MS[Math.min(this.failures, RECONNECT_MS.length - 1)] ?? 30_000;
        this.failures += 1;
        this.env.setTimeout(() => {
          if (!this.closed && this.socket === null) void this.connect(true);
        }, wait);
      });
    });
  }
}
