// The devices table's context menu: a positioned role="menu" of buttons for
// one device (Open, Edit, Ping, SNMP walk, Enable/Disable, Remove, and
// "Edit N selected" when the row is part of a larger selection). Arrow keys
// move between entries, Escape or Tab closes, a click outside closes. Walk is
// offered only to a device with a credential: the walk uses the stored one.
import type { Device } from "./generated/bindings";
import { contextMenu, type MenuItem } from "./devices";
import { draw } from "./html";

export type MenuAction = "open" | "edit" | "ping" | "walk" | "toggle-enabled" | "remove" | "bulk";

export function menuItems(d: Device, selected: number, rowSelected: boolean): MenuItem[] {
  const items: MenuItem[] = [
    { action: "open", label: "Open" },
    { action: "edit", label: "Edit…" },
    { action: "ping", label: "Ping" },
    ...(d.credentialId === null ? [] : [{ action: "walk", label: "SNMP walk…" }]),
    { action: "toggle-enabled", label: d.enabled ? "Disable" : "Enable" },
    { action: "remove", label: "Remove…", danger: true },
  ];
  if (selected > 1 && rowSelected) items.push({ action: "bulk", label: `Edit ${selected} selected…` });
  return items;
}

const ACTIONS: readonly string[] = ["open", "edit", "ping", "walk", "toggle-enabled", "remove", "bulk"];

export class RowMenu {
  private device: Device | null = null;

  constructor(
    private readonly menu: HTMLElement,
    /** Where focus goes when the menu closes from the keyboard or an action. */
    private readonly home: HTMLElement,
    private readonly act: (action: MenuAction, d: Device) => void,
  ) {
    menu.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button[data-menu]") : null;
      const d = this.device;
      const action = b?.dataset["menu"];
      if (d === null || action === undefined || !ACTIONS.includes(action)) return;
      this.close(true);
      this.act(action as MenuAction, d);
    });
    menu.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener("pointerdown", (e) => {
      if (!menu.hidden && !(e.target instanceof Node && menu.contains(e.target))) this.close(false);
    });
  }

  open(d: Device, items: readonly MenuItem[], x: number, y: number): void {
    this.device = d;
    const menu = this.menu;
    draw(menu, contextMenu(items));
    menu.hidden = false;
    // CSSOM writes (the CSP forbids style attributes); kept inside the window.
    const w = menu.offsetWidth;
    const h = menu.offsetHeight;
    menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - w - 4))}px`;
    menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - h - 4))}px`;
    menu.querySelector<HTMLButtonElement>("button")?.focus();
  }

  close(returnFocus: boolean): void {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    this.device = null;
    if (returnFocus) this.home.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    const items = [...this.menu.querySelectorAll<HTMLButtonElement>("button[data-menu]")];
    const i = items.findIndex((b) => b === document.activeElement);
    if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      this.close(true);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = items.length;
      items[(i + (e.key === "ArrowDown" ? 1 : n - 1) + n) % n]?.focus();
    }
  }
}
