// The Admin tab of the web console: for admins users (add, change role and
// sites, lock, unlock, delete), every API token (create, with the secret
// shown once, revoke) and the audit trail (auditview.ts); for everyone else
// the same token section, of their own tokens only (the server filters and
// checks again). Every name comes from users and goes through lit-html
// bindings as text.
import type { Role, TokenCreated, TokenView, UserPatch, UserView } from "./generated/bindings";
import { teamApi } from "./api";
import { toApiError } from "./apierror";
import { draw, html, nothing } from "./html";
import { formatDateTime } from "./format";
import { AuditSection } from "./auditview";

const ROLES: readonly Role[] = ["admin", "operator", "technician", "viewer"];

const KEEP: UserPatch = { role: null, allSites: null, sites: null, password: null, unlock: false, lock: false };

/** "site-a, site-b" to a list; "" or "*" is every site. */
export function parseSites(text: string): { allSites: boolean; sites: string[] } {
  const sites = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return sites.length === 0 || sites.includes("*") ? { allSites: true, sites: [] } : { allSites: false, sites };
}

const val = (form: HTMLFormElement, name: string): string => {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value : "";
};

export class AdminScreen {
  private users: UserView[] = [];
  private tokens: TokenView[] = [];
  private created: TokenCreated | null = null;
  private error = "";
  private readonly usersEl: HTMLElement;
  private readonly tokensEl: HTMLElement;
  private readonly audit: AuditSection | null;

  /** `admin`: the whole tab; otherwise the caller's own tokens only. */
  constructor(root: HTMLElement, private readonly admin = true) {
    this.usersEl = document.createElement("section");
    this.usersEl.id = "admin-users";
    this.tokensEl = document.createElement("section");
    this.tokensEl.id = "admin-tokens";
    if (admin) {
      const auditEl = document.createElement("section");
      auditEl.id = "admin-audit";
      root.replaceChildren(this.usersEl, this.tokensEl, auditEl);
      this.audit = new AuditSection(auditEl);
    } else {
      root.replaceChildren(this.tokensEl);
      this.audit = null;
    }
  }

  async show(): Promise<void> {
    await Promise.all([this.reload(), this.audit?.load()]);
  }

  private async reload(): Promise<void> {
    try {
      [this.users, this.tokens] = await Promise.all([this.admin ? teamApi.listUsers() : [], teamApi.listTokens()]);
    } catch (err) {
      this.error = toApiError(err).detail;
    }
    this.render();
  }

  /** Runs a change, shows its error (the server's words) or reloads. */
  private async act(work: () => Promise<unknown>): Promise<void> {
    this.error = "";
    try {
      await work();
    } catch (err) {
      const e = toApiError(err);
      const fields = e.fields.map((f) => `${f.field}: ${f.message}`).join("; ");
      this.error = fields === "" ? e.detail : `${e.detail} (${fields})`;
    }
    await this.reload();
    void this.audit?.load();
  }

  private addUser(e: Event): void {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const { allSites, sites } = parseSites(val(f, "sites"));
    void this.act(async () => {
      await teamApi.addUser({ name: val(f, "name").trim(), password: val(f, "password"), role: val(f, "role") as Role, allSites, sites });
      f.reset();
    });
  }

  private saveUser(u: UserView, e: Event): void {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const { allSites, sites } = parseSites(val(f, "sites"));
    void this.act(() => teamApi.updateUser(u.id, { ...KEEP, role: val(f, "role") as Role, allSites, sites }));
  }

  private addToken(e: Event): void {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const days = val(f, "days").trim();
    const role = val(f, "role");
    void this.act(async () => {
      this.created = await teamApi.addToken({
        name: val(f, "name").trim(),
        role: role === "" ? null : (role as Role),
        expiresInDays: days === "" ? null : Number(days),
      });
      f.reset();
    });
  }

  private render(): void {
    const roleOptions = (chosen: Role | "") =>
      ROLES.map((r) => html`<option value=${r} ?selected=${r === chosen}>${r}</option>`);
    if (this.admin) this.renderUsers(roleOptions);
    this.renderTokens(roleOptions);
  }

  private renderUsers(roleOptions: (chosen: Role | "") => unknown): void {
    draw(
      this.usersEl,
      html`<h2>Users</h2>
        <p id="admin-error" class="form-error" role="alert">${this.error}</p>
        <table class="admin-table" aria-label="Users">
          <thead><tr><th>Name</th><th>Role and sites</th><th>State</th><th></th></tr></thead>
          <tbody>
            ${this.users.map(
              (u) => html`<tr data-user=${u.name}>
                <td>${u.name}</td>
                <td><form class="inline-form" @submit=${(e: Event) => this.saveUser(u, e)}>
                  <select name="role" aria-label=${`Role of ${u.name}`}>${roleOptions(u.role)}</select>
                  <input name="sites" aria-label=${`Sites of ${u.name}`} placeholder="* (every site)" value=${u.allSites ? "" : u.sites.join(", ")} />
                  <button type="submit" class="small">Save</button></form></td>
                <td>${u.locked
                  ? html`locked <button type="button" class="small" data-action="unlock" @click=${() => void this.act(() => teamApi.updateUser(u.id, { ...KEEP, unlock: true }))}>Unlock</button>`
                  : html`active <button type="button" class="small" data-action="lock" title="Ends their sessions and stops their tokens until unlocked" @click=${() => void this.act(() => teamApi.updateUser(u.id, { ...KEEP, lock: true }))}>Lock</button>`}</td>
                <td><button type="button" class="small danger" data-action="delete" @click=${() => void this.act(() => teamApi.removeUser(u.id))}>Delete</button></td>
              </tr>`,
            )}
          </tbody>
        </table>
        <form id="user-form" class="add-device" aria-label="Add a user" @submit=${(e: Event) => this.addUser(e)}>
          <div class="field"><label for="u-name">Name</label><input id="u-name" name="name" autocomplete="off" required /></div>
          <div class="field"><label for="u-password">Password</label><input id="u-password" name="password" type="password" autocomplete="new-password" required /></div>
          <div class="field narrow"><label for="u-role">Role</label><select id="u-role" name="role">${roleOptions("viewer")}</select></div>
          <div class="field"><label for="u-sites">Sites</label><input id="u-sites" name="sites" autocomplete="off" placeholder="* (every site) or site-a, site-b" /></div>
          <button type="submit">Add user</button>
        </form>`,
    );
  }

  private renderTokens(roleOptions: (chosen: Role | "") => unknown): void {
    draw(
      this.tokensEl,
      html`<h2>${this.admin ? "API tokens" : "My API tokens"}</h2>
        ${this.admin ? nothing : html`<p id="admin-error" class="form-error" role="alert">${this.error}</p>`}
        ${this.created === null
          ? nothing
          : html`<p id="token-secret" class="token-secret" role="status">Token <strong>${this.created.token.name}</strong>: <code>${this.created.secret}</code>, shown this once; copy it now.</p>`}
        <table class="admin-table" aria-label="API tokens">
          <thead><tr><th>Name</th><th>Owner</th><th>Role</th><th>Expires</th><th>Last used</th><th></th></tr></thead>
          <tbody>
            ${this.tokens.map(
              (t) => html`<tr data-token=${t.name}>
                <td>${t.name}</td><td>${t.owner}</td><td>${t.role}</td>
                <td>${formatDateTime(new Date(t.expiresAt))}</td>
                <td>${t.lastUsedAt === null ? "never" : formatDateTime(new Date(t.lastUsedAt))}</td>
                <td>${t.revoked ? "revoked" : html`<button type="button" class="small" data-action="revoke" @click=${() => void this.act(() => teamApi.revokeToken(t.id))}>Revoke</button>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        <form id="token-form" class="add-device" aria-label="Create an API token" @submit=${(e: Event) => this.addToken(e)}>
          <div class="field"><label for="t-name">Name</label><input id="t-name" name="name" autocomplete="off" required /></div>
          <div class="field narrow"><label for="t-role">Role</label><select id="t-role" name="role"><option value="">mine</option>${roleOptions("")}</select></div>
          <div class="field narrow"><label for="t-days">Days</label><input id="t-days" name="days" inputmode="numeric" placeholder="90" /></div>
          <button type="submit">Create token</button>
        </form>`,
    );
  }
}
