// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { ApiError, CredentialSummary } from "./generated/bindings";
import { dialogBody, patchFromForm, patchIsEmpty, secretFields, secretFromForm, testAnswer, testFailure } from "./credentialedit";
import { toElement } from "./html";
import { credential } from "./fixtures";

function cred(overrides: Partial<CredentialSummary> = {}): CredentialSummary {
  return credential({ name: "lab", ...overrides });
}
const v3 = cred({ id: "cred-2", name: "core", version: "v3", user: "admin", authProto: "SHA-256", privProto: null });

describe("the edit patch", () => {
  it("carries only what changed, and nothing a kind does not have", () => {
    expect(patchIsEmpty(patchFromForm(cred(), { name: " lab ", version: "v2c", user: "" }))).toBe(true);
    expect(patchFromForm(cred(), { name: "lab-1", version: "v1", user: "ignored" })).toEqual({
      name: "lab-1",
      version: "v1",
      user: null,
    });
    // A v3 user's version cannot change here; its user name can.
    expect(patchFromForm(v3, { name: "core", version: "v1", user: " ops " })).toEqual({ name: null, version: null, user: "ops" });
    // An unknown version from a tampered select is dropped, not sent.
    expect(patchFromForm(cred(), { name: "lab", version: "v9", user: "" }).version).toBeNull();
    // An emptied name is sent, so the service names the field.
    expect(patchFromForm(cred(), { name: "  ", version: "v2c", user: "" }).name).toBe("");
  });
});

describe("the new secret", () => {
  it("asks for the secrets of the kind and passes them untrimmed", () => {
    expect(secretFields(cred())).toEqual(["community"]);
    expect(secretFields(v3)).toEqual(["authPass"]);
    expect(secretFields(cred({ version: "v3", authProto: "MD5", privProto: "AES-128" }))).toEqual(["authPass", "privPass"]);
    const typed: Record<string, string> = { community: " new ", authPass: "a-pass-1", privPass: "p-pass-1" };
    expect(secretFromForm(cred(), (f) => typed[f] ?? "")).toEqual({ community: " new ", authPass: null, privPass: null });
    expect(secretFromForm(v3, (f) => typed[f] ?? "")).toEqual({ community: null, authPass: "a-pass-1", privPass: null });
  });

  it("draws password inputs with no value for a rotation", () => {
    const el = toElement(dialogBody("rotate", v3, [], null));
    const inputs = [...el.querySelectorAll("input")];
    expect(inputs.map((i) => [i.name, i.type, i.value])).toEqual([["authPass", "password", ""]]);
  });
});

describe("the test dialog", () => {
  it("offers every device with the credential's first user chosen", () => {
    const devices = [
      { id: "d1", name: "a" },
      { id: "d2", name: "b" },
    ];
    const el = toElement(dialogBody("test", cred(), devices, "d2"));
    const select = el.querySelector("select[name=device]");
    expect([...(select?.querySelectorAll("option") ?? [])].map((o) => [o.value, o.selected])).toEqual([
      ["d1", false],
      ["d2", true],
    ]);
    expect(el.querySelector("[data-test-result]")).not.toBeNull();
  });

  it("answers in one line: ok with sysName, or the error's words", () => {
    const t = { credential: "lab", device: "r1", agent: "127.0.0.1:161", sysName: "core-1", sysObjectId: "1.3.6.1.4.1.8072.3.2.10" };
    expect(testAnswer(t)).toBe("ok: sysName=core-1 (1.3.6.1.4.1.8072.3.2.10, 127.0.0.1:161)");
    expect(testAnswer({ ...t, sysName: "" })).toMatch(/^ok: sysName=\(empty\)/);
    const e: ApiError = { kind: "network", detail: "no response from 127.0.0.1:161 within 1 s (3 attempts)", fields: [] };
    expect(testFailure(e)).toBe("error: no response from 127.0.0.1:161 within 1 s (3 attempts)");
    expect(testFailure({ kind: "vault", detail: "", fields: [] })).toBe("error: vault");
  });
});
