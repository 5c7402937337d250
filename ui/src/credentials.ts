// SNMP credentials: the picker the device forms share, the list, and the
// pure conversions behind the add forms. A secret goes from its password
// input straight into one command and is wiped from the form right after;
// nothing the service returns carries a secret, so nothing can show it again.
import type {
  ApiError,
  AuthProtocol,
  CredentialId,
  CredentialSummary,
  Device,
  DeviceId,
  FieldError,
  PrivProtocol,
  SnmpVersion,
  UsmInput,
  VaultInfo,
} from "./generated/bindings";
import { live } from "lit-html/directives/live.js";
import { draw, html, nothing, type TemplateResult } from "./html";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, confirmInPage, formValue, showApiError } from "./formdom";
import { validationError } from "./inventory";
import { deviceHash } from "./devicehtml";

// Records, so the compiler fails here when Rust adds a protocol.
const AUTH: Record<AuthProtocol, true> = {
  MD5: true,
  "SHA-1": true,
  "SHA-224": true,
  "SHA-256": true,
  "SHA-384": true,
  "SHA-512": true,
};
const PRIV: Record<PrivProtocol, true> = { DES: true, "AES-128": true, "AES-192": true, "AES-256": true };
export const AUTH_PROTOCOLS = Object.keys(AUTH) as AuthProtocol[];
export const PRIV_PROTOCOLS = Object.keys(PRIV) as PrivProtocol[];
/** Versions a community credential can have (v3 is a USM user). */
export const COMMUNITY_VERSIONS: readonly SnmpVersion[] = ["v2c", "v1"];

export const COMMUNITY_FIELDS = ["name", "version", "community"] as const;
export const USM_FIELDS = ["name", "user", "authProto", "authPass", "privProto", "privPass"] as const;

/** "lab (v2c)" or "core-v3 (v3 admin, SHA-256/AES-128)". */
export function credentialLabel(c: CredentialSummary): string {
  if (c.version !== "v3") return `${c.name} (${c.version})`;
  const protos = [c.authProto, c.privProto].filter((p) => p !== null).join("/");
  const user = c.user ?? "";
  return `${c.name} (v3 ${user}${protos === "" ? ", noAuthNoPriv" : `, ${protos}`})`;
}

/**
 * The picker's options: "none", then the credentials by name. A selected
 * name missing from the list (not loaded yet) is kept as an option, so
 * opening a form never silently changes a device's credential.
 */
export function credentialOptions(creds: readonly CredentialSummary[], selected: string): TemplateResult {
  const sorted = [...creds].sort((a, b) => a.name.localeCompare(b.name));
  const option = (value: string, label: string): TemplateResult =>
    html`<option value=${value} ?selected=${value === selected} .selected=${live(value === selected)}>${label}</option>`;
  const missing = selected !== "" && !sorted.some((c) => c.name === selected);
  return html`${option("", "none")}${missing ? option(selected, selected) : nothing}${sorted.map((c) =>
    option(c.name, credentialLabel(c)),
  )}`;
}

export function protocolOptions(protocols: readonly string[]): TemplateResult {
  return html`<option value="">none</option>${protocols.map((p) => html`<option value=${p}>${p}</option>`)}`;
}

export interface DeviceRef {
  id: DeviceId;
  name: string;
}

/** The devices of each credential, by name. A credential nobody uses has no entry. */
export function credentialUsers(devices: Iterable<Device>): Map<CredentialId, DeviceRef[]> {
  const out = new Map<CredentialId, DeviceRef[]>();
  for (const d of devices) {
    if (d.credentialId === null) continue;
    const list = out.get(d.credentialId) ?? [];
    list.push({ id: d.id, name: d.name });
    out.set(d.credentialId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

/** "3 devices", "1 device", "unused". */
export function usersCount(n: number): string {
  if (n === 0) return "unused";
  return n === 1 ? "1 device" : `${n} devices`;
}

/** The "Used by" cell: a count, then each device as a link to its page. */
export function usedByCell(users: readonly DeviceRef[], href: (id: DeviceId) => string): TemplateResult {
  const shown = users.slice(0, 5);
  const more = users.length - shown.length;
  return html`<span class="cred-users-count">${usersCount(users.length)}</span>${shown.length > 0 ? html`:` : nothing}
    ${shown.map((d, i) => html`${i > 0 ? ", " : ""}<a href=${href(d.id)} data-device-id=${d.id}>${d.name}</a>`)}
    ${more > 0 ? html`<span class="muted"> and ${more} more</span>` : nothing}`;
}

export const NO_CREDENTIALS = html`<p class="empty muted">No credentials saved yet.</p>`;

/** What the list's row buttons ask for; the inventory view opens the dialog. */
export type CredentialAction = "edit" | "rotate" | "test";

export function credentialsTable(
  creds: readonly CredentialSummary[],
  users: ReadonlyMap<CredentialId, readonly DeviceRef[]> = new Map(),
): TemplateResult {
  if (creds.length === 0) return NO_CREDENTIALS;
  const button = (c: CredentialSummary, action: string, label: string, aria: string): TemplateResult =>
    html`<button type="button" class="small" data-action=${action} data-id=${c.id} aria-label="${aria} ${c.name}">${label}</button>`;
  const dash = html`<span class="muted">—</span>`;
  const rows = [...creds]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (c) => html`<tr data-id=${c.id}>
        <td class="name">${c.name}</td>
        <td>${c.version}</td>
        <td>${c.user ?? dash}</td>
        <td>${c.authProto ?? dash}</td>
        <td>${c.privProto ?? dash}</td>
        <td>${c.backend}</td>
        <td class="cred-users">${usedByCell(users.get(c.id) ?? [], deviceHash)}</td>
        <td class="row-actions">${button(c, "edit-credential", "Edit", "Edit credential")}${button(
          c, "rotate-credential", "Rotate", "Rotate the secret of")}${button(c, "test-credential", "Test", "Test credential")}${button(
          c, "remove-credential", "Remove", "Remove credential")}</td>
      </tr>`,
    );
  return html`<table class="inventory credentials">
    <thead>
      <tr>
        <th>Name</th><th>Version</th><th>User</th><th>Auth</th><th>Privacy</th><th>Secret in</th><th>Used by</th>
        <th><span class="visually-hidden">Actions</span></th>
      </tr>
    </thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** Says where secrets go, and plainly when that is not the OS keyring. */
export function vaultNote(info: VaultInfo): string {
  if (info.backend === "keyring") return `Secrets are kept in the ${info.location}; they are never shown again.`;
  return `No OS keyring is available: secrets are kept in an ${info.location}; they are never shown again.`;
}

export interface CommunityValues {
  name: string;
  version: string;
  community: string;
}

export interface CommunityArgs {
  name: string;
  version: SnmpVersion;
  community: string;
}

/** The command's arguments. The community is passed as typed: a secret is never trimmed or altered. */
export function communityArgsFromForm(v: CommunityValues): { args: CommunityArgs } | { errors: FieldError[] } {
  const version = COMMUNITY_VERSIONS.find((x) => x === v.version);
  if (version === undefined) return { errors: [{ field: "version", message: "must be v1 or v2c" }] };
  return { args: { name: v.name.trim(), version, community: v.community } };
}

export interface UsmValues {
  name: string;
  user: string;
  authProto: string;
  authPass: string;
  privProto: string;
  privPass: string;
}

/** Blank selects and pass phrases are null; the service checks that they come in pairs. */
export function usmInputFromForm(v: UsmValues): UsmInput {
  const orNull = (s: string): string | null => (s === "" ? null : s);
  return {
    name: v.name.trim(),
    user: v.user.trim(),
    authProto: orNull(v.authProto),
    authPass: orNull(v.authPass),
    privProto: orNull(v.privProto),
    privPass: orNull(v.privPass),
  };
}

/** What `clearSecrets` needs of an input; an HTMLInputElement fits. */
export interface SecretInput {
  readonly type: string;
  value: string;
}

/** Empties every password input; returns how many held something. */
export function clearSecrets(inputs: Iterable<SecretInput>): number {
  let cleared = 0;
  for (const el of inputs) {
    if (el.type !== "password") continue;
    if (el.value !== "") cleared += 1;
    el.value = "";
  }
  return cleared;
}

export interface CredentialsElements {
  list: HTMLElement;
  note: HTMLElement;
  error: HTMLElement;
  communityForm: HTMLFormElement;
  usmForm: HTMLFormElement;
  confirm: HTMLDialogElement;
}

/** The credentials section: list, the two add forms and remove. */
export class CredentialsPanel {
  private creds: CredentialSummary[] = [];
  private users: Map<CredentialId, DeviceRef[]> = new Map();

  constructor(
    private readonly els: CredentialsElements,
    /** The list changed: the device forms refresh their pickers. */
    private readonly onList: (creds: readonly CredentialSummary[]) => void,
    private readonly devices: () => Iterable<Device>,
    /** A row's Edit, Rotate or Test: the credential and the devices that use it. */
    private readonly act: (action: CredentialAction, c: CredentialSummary, users: readonly DeviceRef[]) => void,
  ) {
    for (const [name, protos] of [
      ["authProto", AUTH_PROTOCOLS],
      ["privProto", PRIV_PROTOCOLS],
    ] as const) {
      const select = els.usmForm.elements.namedItem(name);
      if (select instanceof HTMLSelectElement) draw(select, protocolOptions(protos));
    }
    els.communityForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.addCommunity();
    });
    els.usmForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.addUsm();
    });
    els.list.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest("button[data-action]") : null;
      if (!(b instanceof HTMLButtonElement) || b.dataset["id"] === undefined) return;
      const id = b.dataset["id"];
      const action = b.dataset["action"];
      if (action === "remove-credential") {
        void this.remove(id);
        return;
      }
      const c = this.creds.find((x) => x.id === id);
      const act = ACTIONS[action ?? ""];
      if (c !== undefined && act !== undefined) this.act(act, c, this.users.get(c.id) ?? []);
    });
  }

  get list(): readonly CredentialSummary[] {
    return this.creds;
  }

  /** The devices changed: who uses what is drawn again. */
  redraw(): void {
    this.users = credentialUsers(this.devices());
    draw(this.els.list, credentialsTable(this.creds, this.users));
  }

  async reload(): Promise<void> {
    try {
      const [creds, vault] = await Promise.all([
        api.listCredentials(),
        api.credentialBackend(),
      ]);
      this.creds = creds;
      this.redraw();
      this.els.note.textContent = vaultNote(vault);
      this.els.error.textContent = "";
      this.onList(creds);
    } catch (err) {
      this.els.error.textContent = describe(toApiError(err));
    }
  }

  private async addCommunity(): Promise<void> {
    const form = this.els.communityForm;
    const parsed = communityArgsFromForm({
      name: formValue(form, "name"),
      version: formValue(form, "version"),
      community: formValue(form, "community"),
    });
    if ("errors" in parsed) {
      showApiError(form, validationError(parsed.errors), COMMUNITY_FIELDS);
      return;
    }
    await this.save(form, COMMUNITY_FIELDS, () => api.addCommunityCredential(parsed.args.name, parsed.args.version, parsed.args.community));
  }

  private async addUsm(): Promise<void> {
    const form = this.els.usmForm;
    const input = usmInputFromForm({
      name: formValue(form, "name"),
      user: formValue(form, "user"),
      authProto: formValue(form, "authProto"),
      authPass: formValue(form, "authPass"),
      privProto: formValue(form, "privProto"),
      privPass: formValue(form, "privPass"),
    });
    await this.save(form, USM_FIELDS, () => api.addUsmCredential(input));
  }

  /**
   * After a save the whole form is reset and the password inputs are wiped
   * explicitly (reset alone restores a `value` attribute, if one was set).
   * A refused save keeps the masked secret so only the bad field needs fixing.
   */
  private async save(form: HTMLFormElement, fields: readonly string[], send: () => Promise<unknown>): Promise<void> {
    try {
      await busy(form, send);
    } catch (err) {
      showApiError(form, toApiError(err), fields);
      return;
    }
    form.reset();
    clearSecrets(form.querySelectorAll("input"));
    clearFieldErrors(form);
    await this.reload();
    form.querySelector<HTMLInputElement>("input")?.focus();
  }

  private async remove(id: string): Promise<void> {
    const c = this.creds.find((x) => x.id === id);
    if (c === undefined) return;
    const ok = await confirmInPage(
      this.els.confirm,
      `Remove credential ${c.name}? Its secret is deleted from the vault. Devices that use it must be changed first.`,
      "Remove credential",
    );
    if (!ok) return;
    try {
      await api.removeCredential(id);
      await this.reload();
    } catch (err) {
      this.els.error.textContent = describe(toApiError(err));
    }
  }
}

const ACTIONS: Record<string, CredentialAction> = {
  "edit-credential": "edit",
  "rotate-credential": "rotate",
  "test-credential": "test",
};

function describe(err: ApiError): string {
  return err.detail === "" ? err.kind : err.detail;
}
