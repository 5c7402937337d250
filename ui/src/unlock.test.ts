import { describe, expect, it } from "vitest";
import type { VaultProtection, VaultStatus } from "./generated/bindings";
import { unlockPrompt } from "./unlock";

function status(protection: VaultProtection): VaultStatus {
  return { backend: "encrypted-file", location: "encrypted file", locked: true, protection };
}

describe("unlockPrompt", () => {
  it("asks to choose a passphrase for a new or old-layout vault and to enter it otherwise", () => {
    expect(unlockPrompt(status("new"))).toMatch(/^Choose a passphrase/);
    expect(unlockPrompt(status("legacy"))).toMatch(/deletes that key/);
    expect(unlockPrompt(status("passphrase"))).toMatch(/^Enter the passphrase/);
  });

  it("sends a key-file vault to MERIDIAN_VAULT_KEY_FILE instead of asking", () => {
    expect(unlockPrompt(status("keyFile"))).toContain("MERIDIAN_VAULT_KEY_FILE");
  });
});
