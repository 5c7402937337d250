// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { CredentialSummary, Device } from "./generated/bindings";
import {
  AUTH_PROTOCOLS,
  PRIV_PROTOCOLS,
  clearSecrets,
  communityArgsFromForm,
  credentialLabel,
  credentialOptions,
  credentialUsers,
  credentialsTable,
  protocolOptions,
  usersCount,
  usmInputFromForm,
  vaultNote,
} from "./credentials";
import { draw, toElement } from "./html";
import { credential } from "./fixtures";

function cred(overrides: Partial<CredentialSummary> = {}): CredentialSummary {
  return credential(overrides);
}

const v3 = cred({ id: "cred-2", name: "core-v3", version: "v3", user: "admin", authProto: "SHA-256", privProto: "AES-128" });

describe("the credential picker", () => {
  it("labels credentials by name and version, with the v3 user and protocols", () => {
    expect(credentialLabel(cred())).toBe("lab-v2c (v2c)");
    expect(credentialLabel(v3)).toBe("core-v3 (v3 admin, SHA-256/AES-128)");
    expect(credentialLabel(cred({ version: "v3", user: "ro" }))).toBe("lab-v2c (v3 ro, noAuthNoPriv)");
  });

  const options = (sel: HTMLElement): string[][] =>
    [...(sel as HTMLSelectElement).options].map((o) => [o.value, o.textContent ?? ""]);

  it("offers none first, then the credentials by name, with the current one selected", () => {
    const select = toElement(credentialOptions([cred(), v3], "lab-v2c"), "select") as HTMLSelectElement;
    expect(options(select)).toEqual([
      ["", "none"],
      ["core-v3", "core-v3 (v3 admin, SHA-256/AES-128)"],
      ["lab-v2c", "lab-v2c (v2c)"],
    ]);
    expect(select.value).toBe("lab-v2c");
    expect((toElement(credentialOptions([cred()], ""), "select") as HTMLSelectElement).value).toBe("");
  });

  it("keeps a selected name that is not in the list, so opening a form changes nothing", () => {
    const select = toElement(credentialOptions([], "gone"), "select") as HTMLSelectElement;
    expect(options(select)).toEqual([["", "none"], ["gone", "gone"]]);
    expect(select.value).toBe("gone");
  });

  it("follows a new selection when redrawn into the same picker", () => {
    const select = toElement(credentialOptions([cred(), v3], "lab-v2c"), "select") as HTMLSelectElement;
    select.value = "";
    draw(select, credentialOptions([cred(), v3], "core-v3"));
    expect(select.value).toBe("core-v3");
  });

  it("shows names as text", () => {
    const select = toElement(credentialOptions([cred({ name: '"><script>' })], ""), "select");
    expect(select.querySelector("script")).toBeNull();
    expect(options(select)[1]?.[0]).toBe('"><script>');
  });
});

describe("credentialsTable", () => {
  it("shows the empty state", () => {
    expect(toElement(credentialsTable([])).textContent).toBe("No credentials saved yet.");
  });

  it("lists name, version, user and protocols with a labelled Remove, and no secret column", () => {
    const el = toElement(credentialsTable([cred(), v3]));
    const cells = [...el.querySelectorAll('tr[data-id="cred-2"] td')].map((td) => (td.textContent ?? "").trim());
    expect(cells).toEqual(["core-v3", "v3", "admin", "SHA-256", "AES-128", "encrypted-file", "unused", "EditRotateTestRemove"]);
    const remove = el.querySelector('button[data-action="remove-credential"][data-id="cred-2"]');
    expect(remove?.getAttribute("aria-label")).toBe("Remove credential core-v3");
    expect(el.textContent).not.toMatch(/community|pass/i);
  });
});

function dev(id: string, name: string, credentialId: string | null): Device {
  return { id, name, credentialId } as Device;
}

describe("what uses each credential", () => {
  const devices = [dev("d1", "zeta", "cred-1"), dev("d2", "alpha", "cred-1"), dev("d3", "ping-only", null), dev("d4", "core", "cred-2")];

  it("groups devices by credential, by name, and leaves unused credentials out", () => {
    const users = credentialUsers(devices);
    expect(users.get("cred-1")).toEqual([{ id: "d2", name: "alpha" }, { id: "d1", name: "zeta" }]);
    expect(users.get("cred-2")).toEqual([{ id: "d4", name: "core" }]);
    expect(users.has("cred-3")).toBe(false);
    expect([usersCount(0), usersCount(1), usersCount(12)]).toEqual(["unused", "1 device", "12 devices"]);
  });

  it("shows the count and links each device to its page, at most five", () => {
    const many = Array.from({ length: 7 }, (_, i) => dev(`m${i}`, `<b>m${i}</b>`, "cred-1"));
    const el = toElement(credentialsTable([cred(), v3], credentialUsers([...devices, ...many])));
    const cell = el.querySelector('tr[data-id="cred-1"] td.cred-users');
    expect(cell?.querySelector(".cred-users-count")?.textContent).toBe("9 devices");
    const links = [...(cell?.querySelectorAll("a") ?? [])];
    // By name ("<" sorts before letters), so the first five are the m's.
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["#/device/m0", "#/device/m1", "#/device/m2", "#/device/m3", "#/device/m4"]);
    expect(links[0]?.textContent).toBe("<b>m0</b>");
    expect(cell?.querySelector("b")).toBeNull();
    expect(cell?.textContent).toMatch(/and 4 more/);
    const row = el.querySelector('tr[data-id="cred-2"]');
    expect([...(row?.querySelectorAll("button") ?? [])].map((b) => b.dataset["action"])).toEqual([
      "edit-credential",
      "rotate-credential",
      "test-credential",
      "remove-credential",
    ]);
  });
});

describe("vaultNote", () => {
  it("names the keyring, or says plainly that there is none", () => {
    expect(vaultNote({ backend: "keyring", location: "OS keyring, service 'meridian'" })).toBe(
      "Secrets are kept in the OS keyring, service 'meridian'; they are never shown again.",
    );
    expect(vaultNote({ backend: "encrypted-file", location: "encrypted file /d/vault/secrets.json (key /d/vault/key)" })).toMatch(
      /^No OS keyring is available: secrets are kept in an encrypted file \/d\/vault\/secrets\.json/,
    );
  });
});

describe("community form", () => {
  it("trims the name but passes the community exactly as typed", () => {
    expect(communityArgsFromForm({ name: " lab ", version: "v2c", community: " s3cret " })).toEqual({
      args: { name: "lab", version: "v2c", community: " s3cret " },
    });
    expect(communityArgsFromForm({ name: "x", version: "v1", community: "p" })).toMatchObject({ args: { version: "v1" } });
  });

  it("refuses a version a community cannot have", () => {
    expect(communityArgsFromForm({ name: "x", version: "v3", community: "p" })).toEqual({
      errors: [{ field: "version", message: "must be v1 or v2c" }],
    });
  });
});

describe("USM form", () => {
  it("makes blank protocols and pass phrases null and keeps pass phrases untrimmed", () => {
    expect(
      usmInputFromForm({ name: " v3 ", user: " admin ", authProto: "SHA-512", authPass: " authpass1", privProto: "", privPass: "" }),
    ).toEqual({ name: "v3", user: "admin", authProto: "SHA-512", authPass: " authpass1", privProto: null, privPass: null });
  });

  it("offers every protocol the service knows, after none", () => {
    expect(AUTH_PROTOCOLS).toEqual(["MD5", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512"]);
    expect(PRIV_PROTOCOLS).toEqual(["DES", "AES-128", "AES-192", "AES-256"]);
    const select = toElement(protocolOptions(PRIV_PROTOCOLS), "select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", "DES", "AES-128", "AES-192", "AES-256"]);
    expect(select.options[0]?.textContent).toBe("none");
  });
});

describe("clearSecrets", () => {
  it("empties every password input and leaves the rest", () => {
    const inputs = [
      { type: "text", value: "lab" },
      { type: "password", value: "s3cret" },
      { type: "password", value: "" },
      { type: "password", value: "privpass1" },
    ];
    expect(clearSecrets(inputs)).toBe(2);
    expect(inputs.map((i) => i.value)).toEqual(["lab", "", "", ""]);
  });
});
