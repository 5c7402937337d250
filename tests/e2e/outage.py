"""The e2e address's outage as a state, not a count.

The checks used to run E2E_DROP_CMD (iptables -I) and E2E_UNDROP_CMD
(iptables -D, one copy) in unbalanced pairs: the scenario drops the address
and leaves it dropped for the console checks, a later check drops it again,
so one "undrop" no longer made it answer. Now dropping twice leaves one rule
and undropping removes every copy (desktop-e2e.sh gives the commands that
shape), and a check that needs the address down for a while restores the
state it found with `held()`.

    env: E2E_DROP_CMD (idempotent), E2E_UNDROP_CMD (removes every copy),
         E2E_IS_DROPPED_CMD (exit 0 when the rule is there)
"""
import contextlib
import os
import subprocess


def drop():
    subprocess.run(os.environ["E2E_DROP_CMD"], shell=True, check=True)


def undrop():
    subprocess.run(os.environ["E2E_UNDROP_CMD"], shell=True, check=True)
    assert not is_dropped(), "the DROP rule for E2E_ADDRESS is still there after the undrop"


def is_dropped():
    return subprocess.run(os.environ["E2E_IS_DROPPED_CMD"], shell=True,
                          stderr=subprocess.DEVNULL).returncode == 0


@contextlib.contextmanager
def held():
    """Drops the address for the block, then puts back the state it found."""
    was = is_dropped()
    drop()
    try:
        yield
    finally:
        if not was:
            undrop()
