"""Timing screen checks (issue 16 item 4), run by webdriver_scenario.py after
the events checks. The scenario's app watches no PTP clock and no NTP server
(its one device is ping-only), so this checks that the tab opens its own
chunk in this WebKit and says so in place rather than failing: the PTP
section names the CLI command that adds a watch, the NTP section likewise,
and no error shows. The header with the seventh tab is checked at 640 px by
checks_layout.py. A role is set for the scenario's device through the form
(listed as "NTP server") and removed again. The tree, plots and verdicts with real clocks are covered
by the service tests (real ptp4l) and the vitest tests of timingmodel.ts.
Screenshot timing.png.
"""


def run(s):
    s.click("#tab-timing")
    s.wait_js(
        "const t = document.getElementById('timing-tree');"
        "return !document.getElementById('view-timing').hidden && /No watched PTP clock/.test(t.textContent)",
        "the timing screen's empty PTP tree",
    )
    s.wait_js(
        "return /No NTP server is watched/.test(document.getElementById('timing-ntp').textContent)",
        "the timing screen's empty NTP list",
    )
    err = s.js("return document.getElementById('timing-error').textContent.trim()")
    assert err == "", f"the timing screen shows an error: {err!r}"
    shown = s.js("return ['timing-plots', 'timing-offset-fig']"
                 ".filter(id => document.getElementById(id).getClientRects().length > 0)")
    assert shown == [], f"charts drawn with no clock chosen: {shown}"
    # A role for the scenario's device through the form: listed, then removed.
    _role(s, "ntp-server")
    s.wait_js("return /NTP server/.test(document.querySelector('#timing-roles table')?.textContent || '')",
              "the device listed with its role")
    s.screenshot("timing.png")
    _role(s, "")
    s.wait_js("return /No device has a timing role/.test(document.getElementById('timing-roles').textContent)",
              "the role removed")
    print("e2e: timing screen opens with no watched clock; a role is set and removed")


def _role(s, role):
    s.js("const r = document.getElementById('tr-role'); r.value = arguments[0];"
         "document.querySelector('#timing-role-form button[type=submit]').click()", role)
