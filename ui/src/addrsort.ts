// Addresses sort as addresses, not as text: 127.0.2.2 before 127.0.2.10,
// every IPv4 address before every IPv6 one, and host names after both. Each
// address becomes one string key once (not once per comparison), whose plain
// `<` order is the address order, so sorting 10,000 devices compares strings
// only.

/** The four octets, or null when `s` is not a dotted-quad IPv4 address. */
export function parseIpv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** The eight 16-bit groups, or null when `s` is not an IPv6 address (a zone "%eth0" is ignored). */
export function parseIpv6(s: string): number[] | null {
  const bare = s.replace(/^\[|\]$/g, "").split("%")[0] ?? "";
  if (!bare.includes(":")) return null;
  const halves = bare.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string | undefined): number[] | null => {
    if (h === undefined || h === "") return [];
    const out: number[] = [];
    const parts = h.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? "";
      // An embedded IPv4 tail (::ffff:192.0.2.1) is the last two groups.
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/**
 * The sort key: "4" + 8 hex digits for IPv4, "6" + 32 for IPv6, "h" + the
 * lower-cased name for anything else ("4" < "6" < "h" in code-unit order).
 * Digit runs in host names are padded so r2 sorts before r10 there too.
 */
export function addressKey(address: string): string {
  const a = address.trim();
  const v4 = parseIpv4(a);
  if (v4 !== null) return "4" + v4.map((o) => hex(o, 2)).join("");
  const v6 = parseIpv6(a);
  if (v6 !== null) return "6" + v6.map((g) => hex(g, 4)).join("");
  return "h" + naturalKey(a);
}

/**
 * A key whose `<` order is a case-insensitive "natural" order: runs of digits
 * are left-padded to 12 places, so "sw-9" < "sw-10". Cheaper than
 * Intl.Collator's numeric compare at 10,000 rows, and the same for the
 * ASCII names devices have.
 */
export function naturalKey(s: string): string {
  return s.toLowerCase().replace(/\d+/g, (d) => (d.length >= 12 ? d : d.padStart(12, "0")));
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareAddresses(a: string, b: string): number {
  return compareKeys(addressKey(a), addressKey(b));
}
