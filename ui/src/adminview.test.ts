// @vitest-environment jsdom
// The Admin tab against a recording transport: names from users are text,
// a new token's secret is shown, changes go to the right commands, and the
// server's refusal is shown in its words.
import { afterEach, describe, expect, it } from "vitest";
import { tauriTransport, useTransport, type Transport } from "./api";
import { AdminScreen } from "./adminview";
import type { AuditEntry, TokenView, UserView } from "./generated/bindings";

const HOSTILE = "<img src=x onerror=alert(1)>";

const user = (name: string, locked = false): UserView => ({
  id: `id-${name}`, name, role: "viewer", allSites: false, sites: ["s1"], locked, failedLogins: 0, createdAt: "2026-12-01T00:00:00Z", version: 1,
});
const token: TokenView = {
  id: "t1", name: HOSTILE, owner: HOSTILE, role: "viewer", createdAt: "2026-12-01T00:00:00Z", expiresAt: "2027-03-01T00:00:00Z", revoked: false, lastUsedAt: null,
};
const entry: AuditEntry = {
  id: 1, at: "2026-12-04T10:00:00Z", actor: HOSTILE, actorId: null, source: "127.0.0.1", action: "alarm.ack", entity: "alarm", entityId: "a1", siteId: null, before: null, after: null,
};

function transport(fail: Set<string> = new Set()) {
  const calls: { command: string; args: Record<string, unknown> }[] = [];
  const t: Transport = {
    call: async (command, args) => {
      calls.push({ command, args });
      if (fail.has(command)) throw { kind: "forbidden", detail: "only an admin with every site may do that", fields: [] };
      switch (command) {
        case "list_users": return [user(HOSTILE, true), user("ann")];
        case "list_tokens": return [token];
        case "audit": return [entry];
        case "add_token": return { token: { ...token, name: "ci" }, secret: "mrd_secret123" };
        default: return null;
      }
    },
    subscribe: async () => () => undefined,
  };
  return { t, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => useTransport(tauriTransport));

describe("admin screen", () => {
  it("shows users, tokens and audit rows with hostile names as text", async () => {
    const { t } = transport();
    useTransport(t);
    const root = document.createElement("main");
    await new AdminScreen(root).show();
    expect(root.querySelectorAll("img").length).toBe(0);
    expect(root.querySelector("#admin-users tr[data-user]")?.textContent).toContain(HOSTILE);
    expect(root.querySelector("#admin-tokens tbody")?.textContent).toContain(HOSTILE);
    expect(root.querySelector("#audit-table .actor")?.textContent).toBe(HOSTILE);
    expect(root.querySelector("#admin-users [data-action=unlock]")).not.toBeNull();
    expect(root.querySelector("#admin-users tr[data-user=ann] [data-action=lock]")).not.toBeNull();
  });

  it("locks an active user with a lock patch that changes nothing else", async () => {
    const { t, calls } = transport();
    useTransport(t);
    const root = document.createElement("main");
    await new AdminScreen(root).show();
    root.querySelector<HTMLButtonElement>("tr[data-user=ann] [data-action=lock]")?.click();
    await flush();
    expect(calls.find((c) => c.command === "update_user")?.args).toEqual({
      id: "id-ann",
      patch: { role: null, allSites: null, sites: null, password: null, unlock: false, lock: true },
    });
  });

  it("gives a non-admin their own tokens only: no users, no audit", async () => {
    const { t, calls } = transport();
    useTransport(t);
    const root = document.createElement("main");
    document.body.append(root);
    await new AdminScreen(root, false).show();
    expect(calls.map((c) => c.command).sort()).toEqual(["list_tokens"]);
    expect(root.querySelector("#admin-users")).toBeNull();
    expect(root.querySelector("#admin-audit")).toBeNull();
    expect(root.querySelector("#admin-tokens h2")?.textContent).toBe("My API tokens");
    expect(root.querySelector("#admin-tokens tbody")?.textContent).toContain(HOSTILE);
    expect(root.querySelectorAll("img").length).toBe(0);
    const form = root.querySelector<HTMLFormElement>("#token-form");
    (form?.elements.namedItem("name") as HTMLInputElement).value = "laptop";
    form?.requestSubmit();
    await flush();
    await flush();
    expect(root.querySelector("#token-secret")?.textContent).toContain("mrd_secret123");
    root.querySelector<HTMLButtonElement>("[data-action=revoke]")?.click();
    await flush();
    expect(calls.find((c) => c.command === "revoke_token")?.args).toEqual({ id: "t1" });
    root.remove();
  });

  it("creates a token and shows its secret; unlocks; shows the server's refusal", async () => {
    const { t, calls } = transport(new Set(["remove_user"]));
    useTransport(t);
    const root = document.createElement("main");
    document.body.append(root);
    await new AdminScreen(root).show();
    const form = root.querySelector<HTMLFormElement>("#token-form");
    (form?.elements.namedItem("name") as HTMLInputElement).value = "ci";
    (form?.elements.namedItem("days") as HTMLInputElement).value = "30";
    form?.requestSubmit();
    await flush();
    await flush();
    expect(calls.find((c) => c.command === "add_token")?.args).toEqual({ input: { name: "ci", role: null, expiresInDays: 30 } });
    expect(root.querySelector("#token-secret")?.textContent).toContain("mrd_secret123");
    root.querySelector<HTMLButtonElement>("[data-action=unlock]")?.click();
    await flush();
    expect(calls.find((c) => c.command === "update_user")?.args).toMatchObject({ id: `id-${HOSTILE}`, patch: { unlock: true } });
    root.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    await flush();
    await flush();
    expect(root.querySelector("#admin-error")?.textContent).toBe("only an admin with every site may do that");
    root.remove();
  });
});
