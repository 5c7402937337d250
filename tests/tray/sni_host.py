#!/usr/bin/python3
"""A minimal StatusNotifier host for testing the tray icon headlessly.

Xvfb has no panel, so nothing owns org.kde.StatusNotifierWatcher and
libayatana-appindicator has nobody to register its item with. `watch` owns
that name on the session bus and keeps the list of registered items; the
other subcommands are one-shot clients that look the item up through the
watcher and read it like a panel would: its label (XAyatanaLabel, where the
app puts the active alarm count), its menu (com.canonical.dbusmenu
GetLayout) and a click on a menu entry (Event "clicked").

  sni_host.py watch [--lifetime S]         own the watcher; prints "ready",
                                           "registered X", "unregistered X"
  sni_host.py items [--timeout S]          wait for an item, print them all
  sni_host.py label [--expect T] [--timeout S]
  sni_host.py props                        every property of the item
  sni_host.py menu [--expect A|B|-|C] [--match REGEX] [--timeout S]  ("-" is a separator)
  sni_host.py click LABEL [--timeout S]

Standard library and gi (Debian: python3-gi, gir1.2-glib-2.0) only. Every
wait is bounded; failures print "sni_host: ..." on stderr and exit 1.
"""

import argparse
import re
import signal
import sys
import time

try:
    import gi

    gi.require_version("Gio", "2.0")
    from gi.repository import Gio, GLib
except (ImportError, ValueError) as e:  # ValueError: typelib missing
    sys.exit(f"sni_host: python3 gi/Gio is missing ({e}); install python3-gi and gir1.2-glib-2.0")

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
MENU_IFACE = "com.canonical.dbusmenu"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
# Items registered by bus name (not by path) live here, says the spec.
DEFAULT_ITEM_PATH = "/StatusNotifierItem"
POLL = 0.2

WATCHER_XML = f"""
<node>
  <interface name="{WATCHER}">
    <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
    <signal name="StatusNotifierHostUnregistered"/>
  </interface>
</node>
"""


class HostError(Exception):
    """What a client reports before exiting 1."""


def say(line):
    print(line, flush=True)


# --- the watcher -------------------------------------------------------------


class Watcher:
    """Owns org.kde.StatusNotifierWatcher and counts itself as the host."""

    def __init__(self, bus, loop):
        self.bus, self.loop = bus, loop
        self.items = []  # "busname/object/path", in registration order
        self.failed = False

    def start(self):
        info = Gio.DBusNodeInfo.new_for_xml(WATCHER_XML).interfaces[0]
        self.bus.register_object(WATCHER_PATH, info, self.on_call, self.on_get, None)
        # An item whose owner leaves the bus is gone (the app exited).
        self.bus.signal_subscribe(
            "org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
            "/org/freedesktop/DBus", None, Gio.DBusSignalFlags.NONE, self.on_owner_changed,
        )
        Gio.bus_own_name_on_connection(
            self.bus, WATCHER, Gio.BusNameOwnerFlags.DO_NOT_QUEUE, self.on_acquired, self.on_lost,
        )

    def on_acquired(self, _bus, _name):
        say("ready")
        self.emit("StatusNotifierHostRegistered", None)

    def on_lost(self, _bus, _name):
        say(f"error: cannot own {WATCHER} (another watcher runs?)")
        self.failed = True
        self.loop.quit()

    def emit(self, signal_name, params):
        try:
            self.bus.emit_signal(None, WATCHER_PATH, WATCHER, signal_name, params)
        except GLib.Error as e:
            say(f"warning: cannot emit {signal_name}: {e.message}")

    def on_call(self, _bus, sender, _path, _iface, method, params, invocation):
        (service,) = params.unpack()
        if method == "RegisterStatusNotifierHost":
            invocation.return_value(None)
            return
        # libayatana-appindicator registers its object path; others their
        # bus name. Either way the item is addressed as name + path.
        if service.startswith("/"):
            item = sender + service
        elif service:
            item = service + DEFAULT_ITEM_PATH
        else:
            invocation.return_dbus_error("org.freedesktop.DBus.Error.InvalidArgs", "empty service")
            return
        invocation.return_value(None)
        if item not in self.items:
            self.items.append(item)
            say(f"registered {item}")
            self.emit("StatusNotifierItemRegistered", GLib.Variant("(s)", (item,)))

    def on_get(self, _bus, _sender, _path, _iface, prop):
        if prop == "RegisteredStatusNotifierItems":
            return GLib.Variant("as", self.items)
        if prop == "IsStatusNotifierHostRegistered":
            return GLib.Variant("b", True)
        if prop == "ProtocolVersion":
            return GLib.Variant("i", 0)
        return None

    def on_owner_changed(self, _bus, _sender, _path, _iface, _signal, params):
        name, _old, new = params.unpack()
        if new:
            return
        for item in [i for i in self.items if split_item(i)[0] == name]:
            self.items.remove(item)
            say(f"unregistered {item}")
            self.emit("StatusNotifierItemUnregistered", GLib.Variant("(s)", (item,)))


def cmd_watch(args):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    loop = GLib.MainLoop()
    watcher = Watcher(bus, loop)
    watcher.start()
    # Never outlive the test that started us, even if it forgets to stop us.
    def stop(why):
        say(why)
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.timeout_add_seconds(args.lifetime, stop, "lifetime over")
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, stop, f"stopped by signal {int(sig)}")
    loop.run()
    return 1 if watcher.failed else 0


# --- clients -----------------------------------------------------------------


def split_item(item):
    """ ":1.42/org/ayatana/NotificationItem/x" -> (":1.42", "/org/...") """
    slash = item.find("/")
    if slash <= 0:
        return item, DEFAULT_ITEM_PATH
    return item[:slash], item[slash:]


class Client:
    def __init__(self, timeout):
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        try:
            self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        except GLib.Error as e:
            raise HostError(f"no session bus: {e.message}") from e

    def call(self, dest, path, iface, method, params, reply_type):
        # Each call gets what is left of the overall budget, at least 1 s.
        ms = max(1000, int((self.deadline - time.monotonic()) * 1000))
        try:
            return self.bus.call_sync(
                dest, path, iface, method, params, GLib.VariantType(reply_type),
                Gio.DBusCallFlags.NO_AUTO_START, ms, None,
            ).unpack()
        except GLib.Error as e:
            raise HostError(f"{iface}.{method} on {dest}{path} failed: {e.message}") from e

    def poll(self, what, attempt):
        """Calls attempt() until it returns something other than None, or
        fails once the budget is spent with the last thing it saw."""
        last = None
        while True:
            try:
                got, last = attempt()
                if got is not None:
                    return got
            except HostError as e:
                last = str(e)
            if time.monotonic() >= self.deadline:
                raise HostError(f"timed out after {self.timeout}s waiting for {what}; last: {last}")
            time.sleep(POLL)

    def items(self):
        (items,) = self.call(
            WATCHER, WATCHER_PATH, PROPS_IFACE, "Get",
            GLib.Variant("(ss)", (WATCHER, "RegisteredStatusNotifierItems")), "(v)",
        )
        return items

    def item(self):
        """The newest registered item (a restarted app registers anew)."""
        return self.poll("a StatusNotifierItem to register", lambda: self._item())

    def _item(self):
        items = self.items()
        return (items[-1] if items else None), "no item registered"

    def props(self, item):
        name, path = split_item(item)
        (props,) = self.call(name, path, PROPS_IFACE, "GetAll", GLib.Variant("(s)", (ITEM_IFACE,)), "(a{sv})")
        return props

    def label(self, item):
        props = self.props(item)
        # Ayatana's label; plain SNI panels have only Title.
        return props.get("XAyatanaLabel", props.get("Title", ""))

    def layout(self, item):
        name, _ = split_item(item)
        menu = self.props(item).get("Menu")
        if not menu or menu == "/":
            raise HostError(f"item {item} exports no menu")
        _rev, root = self.call(
            name, menu, MENU_IFACE, "GetLayout", GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))",
        )
        return name, menu, flatten(root)


def mnemonic_free(label):
    """GTK labels mark mnemonics with "_" ("__" is a literal one)."""
    return label.replace("__", "\0").replace("_", "").replace("\0", "_")


def flatten(node, out=None):
    """The entries under node, depth first: (id, label, props); separators
    get the label "-", invisible entries are left out."""
    out = [] if out is None else out
    _id, _props, children = node
    for child in children:
        cid, props, _ = child
        if not props.get("visible", True):
            continue
        if props.get("type") == "separator":
            out.append((cid, "-", props))
        else:
            out.append((cid, mnemonic_free(props.get("label", "")), props))
        flatten(child, out)
    return out


def cmd_items(args):
    c = Client(args.timeout)
    c.item()
    for item in c.items():
        say(item)
    return 0


def cmd_props(args):
    c = Client(args.timeout)
    for key, value in sorted(c.props(c.item()).items()):
        say(f"{key}={value!r}")
    return 0


def cmd_label(args):
    c = Client(args.timeout)
    item = c.item()
    if args.expect is None:
        say(c.label(item))
        return 0

    def attempt():
        label = c.label(item)
        return (label if label == args.expect else None), f"label {label!r}"

    say(c.poll(f"the label {args.expect!r}", attempt))
    return 0


def cmd_menu(args):
    c = Client(args.timeout)
    item = c.item()

    def attempt():
        labels = [label for _, label, _ in c.layout(item)[2]]
        joined = "|".join(labels)
        ok = (args.expect is None or joined == args.expect) and (args.match is None or re.fullmatch(args.match, joined))
        return (labels if ok else None), f"menu {joined!r}"

    for label in c.poll(f"the menu {args.expect!r}" if args.expect else "a menu", attempt):
        say(label)
    return 0


def cmd_click(args):
    c = Client(args.timeout)
    item = c.item()

    def attempt():
        name, path, entries = c.layout(item)
        found = [(cid, props) for cid, label, props in entries if label == args.label]
        labels = "|".join(label for _, label, _ in entries)
        return ((name, path, found[0]) if found else None), f"no entry {args.label!r} in {labels!r}"

    name, path, (cid, props) = c.poll(f"the menu entry {args.label!r}", attempt)
    if not props.get("enabled", True):
        raise HostError(f"menu entry {args.label!r} is disabled")
    # What a panel sends on a click: (id, "clicked", data, timestamp).
    stamp = int(time.time()) & 0xFFFFFFFF
    c.call(name, path, MENU_IFACE, "Event", GLib.Variant("(isvu)", (cid, "clicked", GLib.Variant("i", 0), stamp)), "()")
    say(f"clicked {args.label} (id {cid})")
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("watch", help="own org.kde.StatusNotifierWatcher until stopped")
    w.add_argument("--lifetime", type=int, default=900, help="exit after this many seconds (default 900)")
    w.set_defaults(run=cmd_watch)
    for name, run, helptext in (
        ("items", cmd_items, "wait for an item and print the registered items"),
        ("props", cmd_props, "print every property of the newest item"),
        ("label", cmd_label, "print the item's label (the alarm count)"),
        ("menu", cmd_menu, "print the menu entries, one a line"),
        ("click", cmd_click, "click a menu entry by its label"),
    ):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("--timeout", type=float, default=10.0, help="seconds to wait at most (default 10)")
        s.set_defaults(run=run)
        if name == "label":
            s.add_argument("--expect", help="wait until the label is exactly this")
        elif name == "menu":
            s.add_argument("--expect", help='wait until the entries joined by "|" are exactly this')
            s.add_argument("--match", help='wait until the entries joined by "|" match this regular expression')
        elif name == "click":
            s.add_argument("label", help='the entry\'s label, e.g. "Mute 1 h"')
    args = p.parse_args(argv)
    try:
        return args.run(args)
    except HostError as e:
        print(f"sni_host: {e}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    # Output goes to pipes and files; a closed one must not print a traceback.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main(sys.argv[1:]))
