// A saved credential's edit, rotate and test, in one dialog, and what uses
// each credential. The pure parts (who uses what, the patch and secret from
// the form, the test's one-line answer) are exported for the tests; the
// dialog only moves values between the form and `api`.
import type {
  ApiError,
  CredentialPatch,
  CredentialSummary,
  CredentialTest,
  DeviceId,
  SecretInput,
  SnmpVersion,
} from "./generated/bindings";
import { draw, html, type TemplateResult } from "./html";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, formValue, showApiError } from "./formdom";
import { COMMUNITY_VERSIONS, clearSecrets, credentialLabel, type CredentialAction, type DeviceRef } from "./credentials";
import { validationError } from "./inventory";

export type Mode = CredentialAction;

export const EDIT_FIELDS = ["name", "version", "user"] as const;
export const ROTATE_FIELDS = ["community", "authPass", "privPass"] as const;
export const TEST_FIELDS = ["device"] as const;

export interface EditValues {
  name: string;
  version: string;
  user: string;
}

/** Only what changed goes in the patch; an unchanged form is an empty patch. */
export function patchFromForm(c: CredentialSummary, v: EditValues): CredentialPatch {
  const name = v.name.trim();
  const user = v.user.trim();
  const version = COMMUNITY_VERSIONS.find((x) => x === v.version) ?? null;
  return {
    name: name === c.name ? null : name,
    version: c.version === "v3" || version === null || version === c.version ? null : version,
    user: c.version !== "v3" || user === (c.user ?? "") ? null : user,
  };
}

export function patchIsEmpty(p: CredentialPatch): boolean {
  return p.name === null && p.version === null && p.user === null;
}

/** The secrets a credential of this kind has, in form order. */
export function secretFields(c: CredentialSummary): ("community" | "authPass" | "privPass")[] {
  if (c.version !== "v3") return ["community"];
  const out: ("authPass" | "privPass")[] = [];
  if (c.authProto !== null) out.push("authPass");
  if (c.privProto !== null) out.push("privPass");
  return out;
}

/** The new secret as typed (never trimmed); fields the kind lacks stay null. */
export function secretFromForm(c: CredentialSummary, read: (field: string) => string): SecretInput {
  const has = new Set(secretFields(c));
  const take = (f: "community" | "authPass" | "privPass"): string | null => (has.has(f) ? read(f) : null);
  return { community: take("community"), authPass: take("authPass"), privPass: take("privPass") };
}

/** "ok: sysName=core-1 (1.3.6.1.4.1.8072.3.2.10, 127.0.0.1:161)". */
export function testAnswer(t: CredentialTest): string {
  const name = t.sysName === "" ? "(empty)" : t.sysName;
  return `ok: sysName=${name} (${t.sysObjectId}, ${t.agent})`;
}

/** "error: no response from … within 1 s (3 attempts); wrong community …". */
export function testFailure(e: ApiError): string {
  return `error: ${e.detail === "" ? e.kind : e.detail}`;
}

const secretLabels: Record<"community" | "authPass" | "privPass", string> = {
  community: "New community",
  authPass: "New auth pass phrase",
  privPass: "New privacy pass phrase",
};

function field(name: string, label: string, control: TemplateResult): TemplateResult {
  return html`<div class="field"><label for=${`cd-${name}`}>${label}</label>${control}<span class="field-error"
      data-error-for=${name}></span></div>`;
}

export function dialogBody(
  mode: Mode,
  c: CredentialSummary,
  devices: readonly DeviceRef[],
  preferred: DeviceId | null,
): TemplateResult {
  const title = { edit: "Edit", rotate: "Rotate the secret of", test: "Test" }[mode];
  const versions = (v: SnmpVersion): TemplateResult =>
    html`${COMMUNITY_VERSIONS.map((x) => html`<option value=${x} ?selected=${x === v}>${x}</option>`)}`;
  let fields: TemplateResult;
  if (mode === "edit") {
    fields = html`${field("name", "Name", html`<input id="cd-name" name="name" autocomplete="off" .value=${c.name} />`)}
    ${c.version === "v3"
      ? field("user", "v3 user", html`<input id="cd-user" name="user" autocomplete="off" spellcheck="false" .value=${c.user ?? ""} />`)
      : field("version", "Version", html`<select id="cd-version" name="version">${versions(c.version)}</select>`)}`;
  } else if (mode === "rotate") {
    fields = html`${secretFields(c).map((f) =>
      field(f, secretLabels[f], html`<input id=${`cd-${f}`} name=${f} type="password" autocomplete="off" spellcheck="false" />`),
    )}
      <p class="muted">The id stays: devices keep this credential; the old secret is removed from the vault.</p>`;
  } else {
    const options = devices.map((d) => html`<option value=${d.id} ?selected=${d.id === preferred}>${d.name}</option>`);
    fields = html`${field("device", "Device", html`<select id="cd-device" name="device">${options}</select>`)}
      <output class="cred-test-result" data-test-result aria-live="polite"></output>`;
  }
  const submit = { edit: "Save", rotate: "Replace secret", test: "Test" }[mode];
  return html`<h3 id="credential-dialog-title">${title} ${credentialLabel(c)}</h3>
    ${fields}
    <div class="form-error" data-error-for="" role="alert"></div>
    <div class="dialog-actions"><button type="submit">${submit}</button><button type="button" data-action="cancel">
      ${mode === "test" ? "Close" : "Cancel"}</button></div>`;
}

/** The dialog; `done` runs after a save or rotation so the list reloads. */
export class CredentialDialog {
  private mode: Mode = "edit";
  private cred: CredentialSummary | null = null;

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly form: HTMLFormElement,
    private readonly done: () => Promise<void>,
  ) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    form.addEventListener("click", (e) => {
      if (e.target instanceof Element && e.target.closest("button[data-action=cancel]")) dialog.close();
    });
    dialog.addEventListener("close", () => {
      clearSecrets(form.querySelectorAll("input"));
      this.cred = null;
    });
  }

  open(mode: Mode, c: CredentialSummary, devices: readonly DeviceRef[], preferred: DeviceId | null): void {
    if (this.dialog.open) return;
    this.mode = mode;
    this.cred = c;
    draw(this.form, dialogBody(mode, c, devices, preferred));
    clearFieldErrors(this.form);
    this.dialog.showModal();
    this.form.querySelector<HTMLElement>("input, select")?.focus();
  }

  private async submit(): Promise<void> {
    const c = this.cred;
    if (c === null) return;
    const form = this.form;
    if (this.mode === "edit") {
      const patch = patchFromForm(c, {
        name: formValue(form, "name"),
        version: formValue(form, "version"),
        user: formValue(form, "user"),
      });
      if (patchIsEmpty(patch)) {
        this.dialog.close();
        return;
      }
      await this.save(EDIT_FIELDS, () => api.updateCredential(c.id, patch));
    } else if (this.mode === "rotate") {
      const secret = secretFromForm(c, (f) => formValue(form, f));
      await this.save(ROTATE_FIELDS, () => api.rotateCredential(c.id, secret));
    } else {
      await this.test(c);
    }
  }

  private async save(fields: readonly string[], send: () => Promise<unknown>): Promise<void> {
    try {
      await busy(this.form, send);
    } catch (err) {
      showApiError(this.form, toApiError(err), fields);
      return;
    }
    this.dialog.close();
    await this.done();
  }

  private async test(c: CredentialSummary): Promise<void> {
    const out = this.form.querySelector<HTMLElement>("[data-test-result]");
    const device = formValue(this.form, "device");
    if (out === null) return;
    if (device === "") {
      showApiError(this.form, validationError([{ field: "device", message: "add a device to test against" }]), TEST_FIELDS);
      return;
    }
    clearFieldErrors(this.form);
    out.textContent = "Asking the agent…";
    out.className = "cred-test-result";
    try {
      const t = await busy(this.form, () => api.testCredential(c.id, device));
      out.textContent = testAnswer(t);
      out.classList.add("ok");
    } catch (err) {
      out.textContent = testFailure(toApiError(err));
      out.classList.add("failed");
    }
  }
}
