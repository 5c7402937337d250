"""Reports tab checks (issue 15, History: scheduled reports), run by
webdriver_scenario.py after the System tab's checks.

- A daily schedule writing a PDF to a fresh temporary folder is added
  through the Schedules form and listed.
- Edit fills the form with it; a relative folder is refused with the
  service's error beside the folder box and changes nothing; made weekly, it
  is saved, listed as weekly, and the form is back to adding.
- Its Runs button shows its (empty) run log; Run now writes the PDF into the
  folder, and the run is listed: a UTC time, the schedule, "ok" and the file.
- It is removed; the runs view falls back to every schedule's.
Screenshot reports-schedules.png.
"""
import os
import re
import shutil
import tempfile

from checks_console import _set_size

NAME = "e2e-daily"
FORM = "#report-schedules form"
# The schedule's row as text (null: not listed), an expression.
ROW = ("(() => {{ const b = document.querySelector('#report-schedules button[data-schedule-edit=\"{}\"]');"
       " return b ? b.closest('tr').textContent.replace(/\\s+/g, ' ') : null }})()").format(NAME)
SAVE_LABEL = "return document.querySelector('#report-schedules [data-schedule-save]').textContent"


def _choose(s, css, value):
    """Sets a <select> and tells the page, as a user's choice would."""
    s.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
         "e.dispatchEvent(new Event('change', {bubbles: true}))", css, value)


def _button(s, kind, name):
    s.click(f'#report-schedules button[data-schedule-{kind}="{name}"]')


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    folder = tempfile.mkdtemp(prefix="meridian-e2e-reports-")
    try:
        _check(s, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _set_size(s, before["width"], before["height"])
    s.click("#tab-monitor")


def _check(s, folder):
    s.click("#tab-reports")
    s.wait_js("return !document.getElementById('view-reports').hidden"
              " && document.querySelector('#schedule-runs-title') && 'shown'", "the Reports tab's schedules")

    # Add: daily, availability of every device, PDF (the form's default).
    s.type(f"{FORM} input[name=name]", NAME)
    s.type(f"{FORM} input[name=folder]", folder)
    s.click(f"{FORM} [data-schedule-save]")
    row = s.wait_js(f"return {ROW}", "the added schedule")
    assert "availability · daily" in row and "all devices" in row and "never ran" in row, row

    # Edit: the form holds the schedule; a relative folder is refused.
    _button(s, "edit", NAME)
    s.wait_js(f"return document.querySelector('{FORM} input[name=name]').value === '{NAME}'"
              f" && document.querySelector('{FORM} input[name=folder]').value", "the form filled by Edit")
    assert s.js(SAVE_LABEL) == f"Save changes to {NAME}", s.js(SAVE_LABEL)
    s.type(f"{FORM} input[name=folder]", "relative/reports")
    s.click(f"{FORM} [data-schedule-save]")
    err = s.wait_js(f"return document.querySelector('{FORM} [data-error-for=folder]').textContent", "the folder's error")
    assert "absolute" in err, err
    assert s.js(SAVE_LABEL) == f"Save changes to {NAME}", "a refused edit left edit mode"
    assert "availability · daily" in s.js(f"return {ROW}"), "a refused edit changed the schedule"

    # Fixed and made weekly: saved, listed as weekly, the form adds again.
    s.type(f"{FORM} input[name=folder]", folder)
    _choose(s, f"{FORM} select[name=cadence]", "weekly")
    s.click(f"{FORM} [data-schedule-save]")
    row = s.wait_js(f"const t = {ROW}; return t && /weekly/.test(t) && t",
                    "the edited schedule listed as weekly")
    assert "availability · weekly" in row, row
    s.wait_js(f"{SAVE_LABEL} === 'Add schedule' && 'adding'", "the form back to adding")
    assert s.js(f"return document.querySelector('{FORM} input[name=name]').value") == "", "the form was not emptied"

    # Its runs: none yet; Run now writes the PDF and lists the run.
    _button(s, "runs", NAME)
    s.wait_js(f"return document.getElementById('schedule-runs-title').textContent === 'Runs: {NAME}'"
              f" && /has not run yet/.test(document.getElementById('schedule-runs').textContent) && 'empty'",
              "the schedule's empty run log")
    _button(s, "run", NAME)
    run = s.wait_js("const r = document.querySelector('#schedule-runs tbody tr');"
                    "return r && [...r.querySelectorAll('td')].map(c => c.textContent.trim())", "the run in the runs view")
    print(f"e2e: reports: run {run}")
    written = [f for f in os.listdir(folder) if f.endswith(".pdf")]
    assert len(written) == 1 and written[0].startswith(f"{NAME}-") and re.search(r"-\d{4}-W\d\d\.pdf$", written[0]), written
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", run[0]), run
    assert run[1] == NAME and run[3] == "ok", run
    assert os.path.join(folder, written[0]) in run[4], run
    assert "ok" in s.js(f"return {ROW}"), "the list does not show the last result"
    s.screenshot("reports-schedules.png")

    # Removed: gone from the list; the runs view shows every schedule's.
    _button(s, "remove", NAME)
    s.wait_js(f"return {ROW} === null"
              " && document.getElementById('schedule-runs-title').textContent === 'Runs: all schedules' && 'gone'",
              "the schedule removed")
