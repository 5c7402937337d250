// The vault unlock dialog. When secrets go to the encrypted-file vault (no OS
// keyring) its key is derived from a passphrase that is never stored, so the
// desktop asks for it once per session, before the main view is used. A new
// vault takes the passphrase given here; an older one whose key sat in the
// data directory is re-encrypted under it. "Later" leaves the vault locked:
// devices are then polled by ICMP only and credential edits say why.
import type { VaultProtection, VaultStatus } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, element, formValue, showApiError } from "./formdom";

const PROMPTS: Record<VaultProtection, string> = {
  new: "Choose a passphrase for the credential vault. It is not stored anywhere: keep it safe.",
  passphrase: "Enter the passphrase of the credential vault.",
  keyFile:
    "The credential vault is protected by a key file. Start Meridian with MERIDIAN_VAULT_KEY_FILE set to it.",
  legacy:
    "Choose a passphrase for the credential vault. Its key is still kept in the data directory; unlocking moves it to this passphrase and deletes that key.",
};

/** The words the dialog shows for a vault's state (exported for tests). */
export function unlockPrompt(status: VaultStatus): string {
  return PROMPTS[status.protection];
}

/** Shows the dialog when the vault is locked; resolves once unlocked or put off. */
export async function unlockVaultIfNeeded(): Promise<void> {
  const status = await api.vaultStatus();
  if (!status.locked) return;
  const dialog = element<HTMLDialogElement>("vault-dialog");
  const form = dialog.querySelector("form");
  if (form === null) return;
  element("vault-prompt").textContent = unlockPrompt(status);
  const input = form.elements.namedItem("passphrase");
  if (input instanceof HTMLInputElement) input.disabled = status.protection === "keyFile";
  clearFieldErrors(form);
  return new Promise((resolve) => {
    const onSubmit = (ev: SubmitEvent): void => {
      ev.preventDefault();
      const passphrase = formValue(form, "passphrase");
      void busy(form, () => api.unlockVault(passphrase))
        .then(() => {
          form.reset();
          dialog.close();
        })
        .catch((err: unknown) => showApiError(form, toApiError(err), ["passphrase"]));
    };
    const onLater = (): void => dialog.close();
    const later = form.querySelector<HTMLButtonElement>("[data-action=later]");
    form.addEventListener("submit", onSubmit);
    later?.addEventListener("click", onLater);
    dialog.addEventListener(
      "close",
      () => {
        form.reset();
        form.removeEventListener("submit", onSubmit);
        later?.removeEventListener("click", onLater);
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
    if (input instanceof HTMLInputElement) input.focus();
  });
}
