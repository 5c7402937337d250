// The devices table's keyboard: which key does what, and where the cursor
// (the focused row) goes. Pure, so the DOM handler is a switch over actions.
export type KeyAction =
  | { readonly kind: "move"; readonly to: number; readonly extend: boolean }
  | { readonly kind: "open" }
  | { readonly kind: "toggle" }
  | { readonly kind: "remove" }
  | { readonly kind: "selectAll" }
  | { readonly kind: "clear" }
  | { readonly kind: "menu" };

export interface KeyInput {
  readonly key: string;
  readonly shift: boolean;
  /** Ctrl or Cmd. */
  readonly ctrl: boolean;
}

/**
 * The action for a key press on the table with `count` rows shown, the cursor
 * at `cursor` (-1: none yet) and `page` rows visible; null leaves the key to
 * the browser (Tab, typing into the search box, ...).
 */
export function keyAction(k: KeyInput, cursor: number, count: number, page: number): KeyAction | null {
  if (count === 0) return null;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  const move = (to: number): KeyAction => ({ kind: "move", to: clamp(to), extend: k.shift });
  const step = Math.max(1, page - 1);
  switch (k.key) {
    case "ArrowDown":
      return move(cursor < 0 ? 0 : cursor + 1);
    case "ArrowUp":
      return move(cursor < 0 ? 0 : cursor - 1);
    case "PageDown":
      return move(cursor + step);
    case "PageUp":
      return move(cursor - step);
    case "Home":
      return move(0);
    case "End":
      return move(count - 1);
    case "Enter":
      return cursor < 0 ? null : { kind: "open" };
    case " ":
    case "Spacebar":
      return cursor < 0 ? null : { kind: "toggle" };
    case "Delete":
      return cursor < 0 ? null : { kind: "remove" };
    case "Escape":
      return { kind: "clear" };
    case "ContextMenu":
      return cursor < 0 ? null : { kind: "menu" };
    case "F10":
      return k.shift && cursor >= 0 ? { kind: "menu" } : null;
    case "a":
    case "A":
      return k.ctrl ? { kind: "selectAll" } : null;
    default:
      return null;
  }
}
