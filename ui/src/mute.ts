// The header's mute control: "Mute desktop notifications" opens a menu that
// mutes them for 1/4/8/24 h (or unmutes) through the shell, and the button
// says "Notifications muted until HH:MM" while a mute holds. The mute itself
// lives in the store (it survives restarts and the tray menu can change it),
// so the control re-reads it when the window regains focus instead of keeping
// its own copy.
import { api } from "./api";
import type { NotificationSettings } from "./generated/bindings";
import { toApiError } from "./apierror";
import { formatTime, formatWeekday } from "./format";

/** The menu's choices, in hours (the service accepts 1..168). */
export const MUTE_CHOICES: readonly number[] = [1, 4, 8, 24];

/** When the mute ends, or null when none holds at `now`. */
export function activeMuteUntil(s: NotificationSettings | null, now: Date): Date | null {
  if (s === null || s.mutedUntil === null) return null;
  const until = new Date(s.mutedUntil);
  return Number.isNaN(until.getTime()) || until <= now ? null : until;
}

/**
 * The button says what it mutes: "Mute desktop notifications", or
 * "Notifications muted until 14:05" (or "2:05 PM", as the locale says), with
 * the weekday when the mute ends on another day.
 */
export function muteLabel(until: Date | null, now: Date, locale?: string): string {
  if (until === null) return "Mute desktop notifications";
  const time = formatTime(until, { locale });
  const sameDay = until.toDateString() === now.toDateString();
  return sameDay ? `Notifications muted until ${time}` : `Notifications muted until ${formatWeekday(until, locale)} ${time}`;
}

/** The words a narrow header shows in place of "Notifications muted". */
const MUTED_PREFIX = "Notifications muted";

/**
 * The label as nodes: "Notifications muted" in a span whose narrow form
 * (stylesheet, below 1,100 px) reads "Muted", so the header's muted button
 * stays short while its text (and what a screen reader says) stays whole.
 */
export function labelNodes(text: string): (Node | string)[] {
  if (!text.startsWith(MUTED_PREFIX)) return [text];
  const span = document.createElement("span");
  span.className = "mute-label";
  span.dataset["short"] = "Muted";
  span.textContent = MUTED_PREFIX;
  return [span, text.slice(MUTED_PREFIX.length)];
}

/** A menu item: "Mute desktop notifications for 1 h". */
export function muteChoiceLabel(hours: number): string {
  return `Mute desktop notifications for ${hours} h`;
}

/** Re-check this often whether a mute ran out; the label changes only then. */
const TICK_MS = 30_000;

export function setupMute(): void {
  const root = document.getElementById("mute");
  const button = document.getElementById("mute-button");
  const menu = document.getElementById("mute-menu");
  const error = document.getElementById("mute-error");
  if (root === null || !(button instanceof HTMLButtonElement) || menu === null || error === null) return;
  let settings: NotificationSettings | null = null;

  const draw = (): void => {
    const now = new Date();
    const until = activeMuteUntil(settings, now);
    const text = muteLabel(until, now);
    if (button.textContent !== text) button.replaceChildren(...labelNodes(text));
    button.classList.toggle("muted", until !== null);
    // No `title`: its tooltip would sit over the menu that opens below.
    button.setAttribute("aria-label", until === null ? `${text} (choose how long)` : `${text}; change or unmute`);
    for (const el of menu.querySelectorAll<HTMLElement>("[data-unmute]")) el.hidden = until === null;
  };
  const open = (on: boolean): void => {
    menu.hidden = !on;
    button.setAttribute("aria-expanded", String(on));
    if (on) {
      error.textContent = "";
      menu.querySelector<HTMLButtonElement>("button:not([hidden])")?.focus();
    }
  };
  const run = async (send: () => Promise<NotificationSettings>): Promise<void> => {
    try {
      settings = await send();
      draw();
      open(false);
      button.focus();
    } catch (err) {
      const e = toApiError(err);
      error.textContent = e.fields[0]?.message ?? e.detail;
    }
  };
  const load = async (): Promise<void> => {
    try {
      settings = await api.notificationSettings();
      root.hidden = false;
      draw();
    } catch {
      // The service did not open: nothing to mute.
      root.hidden = true;
    }
  };

  const item = (text: string): HTMLButtonElement => {
    const b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "menuitem");
    b.textContent = text;
    menu.insertBefore(b, error);
    return b;
  };
  for (const h of MUTE_CHOICES) item(muteChoiceLabel(h)).dataset["hours"] = String(h);
  item("Unmute desktop notifications").dataset["unmute"] = "";

  button.addEventListener("click", () => open(menu.hidden));
  menu.addEventListener("click", (e) => {
    const b = e.target instanceof Element ? e.target.closest("button") : null;
    if (!(b instanceof HTMLButtonElement)) return;
    const hours = Number(b.dataset["hours"]);
    if (b.dataset["unmute"] !== undefined) void run(api.unmuteNotifications);
    else if (Number.isInteger(hours)) void run(() => api.muteNotifications(hours));
  });
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !menu.hidden) {
      open(false);
      button.focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!menu.hidden && e.target instanceof Node && !root.contains(e.target)) open(false);
  });
  window.addEventListener("focus", () => void load());
  window.setInterval(draw, TICK_MS);
  void load();
}
