import { describe, expect, it } from "vitest";
import { addressKey, compareAddresses, naturalKey, parseIpv4, parseIpv6 } from "./addrsort";

describe("address order", () => {
  it("orders IPv4 numerically, octet by octet", () => {
    const sorted = ["127.0.2.10", "127.0.2.2", "127.0.10.1", "127.0.2.1", "10.0.0.1"].sort(compareAddresses);
    expect(sorted).toEqual(["10.0.0.1", "127.0.2.1", "127.0.2.2", "127.0.2.10", "127.0.10.1"]);
  });

  it("puts IPv4 before IPv6 before host names", () => {
    const sorted = ["router.lab", "::1", "255.255.255.255", "2001:db8::1", "0.0.0.0", "a"].sort(compareAddresses);
    expect(sorted).toEqual(["0.0.0.0", "255.255.255.255", "::1", "2001:db8::1", "a", "router.lab"]);
  });

  it("orders IPv6 by value, whatever the spelling", () => {
    expect(compareAddresses("2001:db8::2", "2001:0db8:0:0:0:0:0:10")).toBeLessThan(0);
    expect(compareAddresses("2001:db8::a", "2001:DB8::A")).toBe(0);
    expect(compareAddresses("::ffff:192.0.2.1", "::ffff:c000:201")).toBe(0);
  });

  it("reads only well-formed addresses as addresses", () => {
    expect(parseIpv4("127.0.0.256")).toBeNull();
    expect(parseIpv4("127.0.0")).toBeNull();
    expect(parseIpv4("1.2.3.4.5")).toBeNull();
    expect(parseIpv6("1:2:3:4:5:6:7")).toBeNull();
    expect(parseIpv6("1::2::3")).toBeNull();
    expect(parseIpv6("fe80::1%eth0")).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(addressKey("host-1.example")[0]).toBe("h");
    expect(addressKey("999.1.1.1")[0]).toBe("h");
  });

  it("sorts host names naturally and case-insensitively", () => {
    expect(["sw-10", "SW-9", "sw-1"].sort((a, b) => compareAddresses(a, b))).toEqual(["sw-1", "SW-9", "sw-10"]);
    expect(naturalKey("R2") < naturalKey("r10")).toBe(true);
  });
});
