// The UI in a browser against the team server: the HTTP transport, the login
// page, the signed-in user and logout in the header, and the tabs the server
// cannot serve hidden (their commands are desktop-only: rules, maintenance,
// notifications, received events, reports, timing, the System tab, SNMP
// credentials and discovery). Admins get the Admin tab (adminview.ts).
import type { Actor, ApiError } from "./generated/bindings";
import { teamApi, useTransport } from "./api";
import { toApiError } from "./apierror";
import { draw, html } from "./html";
import { HttpTransport, browserEnv } from "./httptransport";
import "./web.css";

/** Tabs and sections whose commands the team server does not offer. */
const DESKTOP_ONLY = [
  "tab-rules",
  "tab-maint",
  "tab-notify",
  "tab-events",
  "tab-reports",
  "tab-timing",
  "tab-system",
  "credentials",
  "discover-button",
  "plan-tools",
];

/** A login failure as the server put it (wrong password, locked, throttled with its wait). */
export function loginMessage(err: ApiError): string {
  if (err.kind === "unsupported" || err.kind === "network") return `The team server cannot be reached: ${err.detail}`;
  return err.detail;
}

/**
 * Uses the HTTP transport, then resolves with the signed-in user: at once if
 * this tab's session still holds, else after the login page succeeds. A
 * session that ends later (401, or the event stream closed for its
 * credentials) reloads the page, which shows the login again.
 */
export async function signIn(): Promise<Actor> {
  const t = new HttpTransport(browserEnv());
  useTransport(t);
  t.onUnauthorized = () => {
    t.forget();
    window.location.reload();
  };
  if (t.hasSession()) {
    try {
      return await teamApi.me();
    } catch {
      t.forget();
    }
  }
  await showLogin();
  return teamApi.me();
}

function showLogin(): Promise<void> {
  document.body.classList.add("web-login");
  const root = document.createElement("main");
  root.id = "login";
  root.className = "login";
  document.body.append(root);
  let message = "";
  let busy = false;
  return new Promise((resolve) => {
    const submit = async (e: Event): Promise<void> => {
      e.preventDefault();
      if (busy) return;
      const form = e.currentTarget as HTMLFormElement;
      const name = (form.elements.namedItem("name") as HTMLInputElement).value.trim();
      const password = (form.elements.namedItem("password") as HTMLInputElement).value;
      busy = true;
      render();
      try {
        await teamApi.login(name, password);
        root.remove();
        document.body.classList.remove("web-login");
        resolve();
      } catch (err) {
        message = loginMessage(toApiError(err));
        busy = false;
        render();
      }
    };
    const render = (): void =>
      draw(
        root,
        html`<form id="login-form" class="login-form" aria-labelledby="login-title" @submit=${submit}>
          <h1 id="login-title">Meridian</h1>
          <p class="muted">Sign in to the team server.</p>
          <div class="field"><label for="login-name">User</label><input id="login-name" name="name" autocomplete="username" required /></div>
          <div class="field"><label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required /></div>
          <button type="submit" id="login-submit" ?disabled=${busy}>Sign in</button>
          <p id="login-error" class="form-error" role="alert">${message}</p>
        </form>`,
      );
    render();
    document.getElementById("login-name")?.focus();
  });
}

/** Hides what the server cannot serve and puts the user and a logout control in the header. */
export function setupWebShell(me: Actor): void {
  document.body.classList.add("web", `role-${me.role}`);
  for (const id of DESKTOP_ONLY) {
    const el = document.getElementById(id);
    if (el !== null) el.hidden = true;
  }
  for (const el of document.querySelectorAll<HTMLElement>(".import-csv")) el.hidden = true;
  const header = document.querySelector(".app-header");
  if (header === null) return;
  const box = document.createElement("div");
  box.className = "web-user";
  header.append(box);
  const logout = async (): Promise<void> => {
    try {
      await teamApi.logout();
    } finally {
      window.location.reload();
    }
  };
  draw(
    box,
    html`<span id="web-user" title="Signed in to the team server">${me.name} (${me.role})</span>
      <button type="button" id="logout" class="small" @click=${() => void logout()}>Log out</button>`,
  );
}

/**
 * The Admin tab (users, tokens, audit) and its panel, or for a non-admin a
 * "Tokens" tab with their own tokens; main.ts's tab handling picks it up.
 */
export function addAdminTab(admin = true): void {
  const tabs = document.querySelector(".tabs");
  if (tabs === null || document.getElementById("tab-admin") !== null) return;
  const tab = document.createElement("button");
  Object.assign(tab, { type: "button", id: "tab-admin", tabIndex: -1, textContent: admin ? "Admin" : "Tokens" });
  tab.setAttribute("role", "tab");
  tab.setAttribute("aria-controls", "view-admin");
  tab.setAttribute("aria-selected", "false");
  tab.title = admin ? "Users, API tokens and the audit trail" : "Your API tokens";
  tabs.append(tab);
  const view = document.createElement("main");
  Object.assign(view, { id: "view-admin", className: "view admin-view", hidden: true });
  view.setAttribute("role", "tabpanel");
  view.setAttribute("aria-labelledby", "tab-admin");
  document.getElementById("view-devices")?.after(view);
}
