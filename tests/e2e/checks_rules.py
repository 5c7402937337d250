"""Rule editor checks (issue 13, item 7, "a rule editor"), run last by
webdriver_scenario.py, when the store holds ping-only loopback devices with
RTT samples.

- A rule with a clear value on the wrong side of its raise value and no
  scope shows both field errors at once, next to their inputs; each clears
  as its field is changed; fixed, the rule is saved and listed.
- A preview of a draft RTT rule (warning above 0 ms, all devices) names the
  devices it would fire on now, from their latest samples; nothing is saved.
- The saved rule is disabled and enabled from the list, then removed after
  the in-page confirmation.
Screenshots rules-errors.png, rules-preview.png.
"""

from checks_console import _set_size

ERR = "return document.querySelector('#rule-form [data-error-for=\"{}\"]').textContent"


def _fill(s, fields):
    for name, value in fields.items():
        s.type(f'#rule-form [name="{name}"]', value)


def _error(s, field):
    return s.js(ERR.format(field))


def _row(s, name):
    return s.js("const r = [...document.querySelectorAll('#rules-body tr[data-id]')]"
                ".find(r => r.querySelector('.name').textContent === arguments[0]);"
                "return r ? {id: r.dataset.id, text: r.textContent.replace(/\\s+/g, ' '), disabled: r.classList.contains('is-disabled')} : null",
                name)


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    s.click("#tab-rules")
    s.wait_js("const b = document.getElementById('rules-body'); return !document.getElementById('view-rules').hidden"
              " && (b.querySelector('table') || /No rules yet/.test(b.textContent)) && 'listed'", "the rules list")

    # Two mistakes at once: the clear value above the raise value, and no scope.
    _fill(s, {"name": "e2e cpu", "metric": "cpu_pct", "raise-major": "80", "clear-major": "90"})
    s.click("#rule-save")
    s.wait_js(f"return {ERR.format('clear-major')[7:]} !== '' && {ERR.format('scope')[7:]} !== '' && 'both'",
              "the clear and scope errors together")
    clear, scope = _error(s, "clear-major"), _error(s, "scope")
    print(f"e2e: rule errors: clear-major={clear!r} scope={scope!r}")
    assert "at or below the raise value 80" in clear, clear
    assert "device, tag, site" in scope, scope
    assert _row(s, "e2e cpu") is None, "a refused rule was saved"
    s.screenshot("rules-errors.png")

    # Each error clears as its field is fixed; then it saves.
    _fill(s, {"clear-major": "70"})
    assert _error(s, "clear-major") == "" and _error(s, "scope") != "", "only the fixed field's error clears"
    _fill(s, {"tags": "e2e-core"})
    assert _error(s, "scope") == "", "the scope error stays after naming a tag"
    s.click("#rule-save")
    row = s.wait_js("const r = [...document.querySelectorAll('#rules-body tr[data-id] .name')].find(n => n.textContent === 'e2e cpu');"
                    "return r && r.closest('tr').textContent.replace(/\\s+/g, ' ')", "the saved rule in the list")
    assert "CPU load" in row and "tag e2e-core" in row and "major > 80 (clear 70)" in row, row

    # Preview a draft on real samples: every ping-answering device has an RTT above 0 ms.
    _fill(s, {"name": "e2e rtt draft", "metric": "rtt_ms", "raise-warning": "0"})
    s.click("#r-scope-all")
    s.click("#rule-preview")
    hits = s.wait_js("const p = document.querySelector('#rule-preview-out [data-preview]');"
                     "return p && [...document.querySelectorAll('#rule-preview-out tbody tr .name')].map(n => n.textContent)",
                     "the preview's devices")
    print(f"e2e: preview would fire on {hits}")
    assert len(hits) >= 1, f"the preview names no device: {hits!r}"
    s.screenshot("rules-preview.png")
    assert _row(s, "e2e rtt draft") is None, "a preview saved the draft"

    # Disable, enable, remove (asked in the page).
    rid = _row(s, "e2e cpu")["id"]
    s.click(f'#rules-body input[data-action=toggle-rule][data-id="{rid}"]')
    s.wait_js(f"const r = document.querySelector('#rules-body tr[data-id=\"{rid}\"]'); return r && r.classList.contains('is-disabled')",
              "the rule disabled")
    s.click(f'#rules-body input[data-action=toggle-rule][data-id="{rid}"]')
    s.wait_js(f"const r = document.querySelector('#rules-body tr[data-id=\"{rid}\"]'); return r && !r.classList.contains('is-disabled')",
              "the rule enabled")
    s.click(f'#rules-body button[data-action=remove-rule][data-id="{rid}"]')
    s.wait_js("return document.getElementById('confirm-dialog').open", "the removal to be asked")
    s.click("#confirm-dialog button[data-confirm=yes]")
    s.wait_js(f"return !document.querySelector('#rules-body tr[data-id=\"{rid}\"]') && 'gone'", "the rule removed")
    s.click("#tab-monitor")
    _set_size(s, before["width"], before["height"])
