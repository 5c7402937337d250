#!/usr/bin/env bash
# Installs snmpsim (the SNMP agent simulator) and snmpsim-data (recordings of
# real devices) for Meridian's tests, and allantools (the reference for the
# MTIE/TDEV tests and benchmark), in a venv outside the repo that later runs
# reuse: $MERIDIAN_SNMPSIM_VENV, by default /var/tmp/meridian-snmpsim-venv.
# Beside them: aiosmtpd, prometheus_client and openapi-spec-validator.
#
# Idempotent: when the venv already holds exactly the pinned versions below it
# does nothing. Pitfalls it avoids (see shared DESIGN.md, "Real peers for tests"):
# - the venv is built with Debian's /usr/bin/python3 (python3-venv, python3-gdbm
#   come from install-deps.sh): snmpsim keeps its indices in dbm files, and a
#   Python under root's home could not be read once snmpsim drops privileges;
# - everything is world-readable, because the tests start snmpsim as root and
#   it switches to the unprivileged user `nobody` (--process-user).
set -euo pipefail
umask 022

VENV=${MERIDIAN_SNMPSIM_VENV:-/var/tmp/meridian-snmpsim-venv}
PYTHON=/usr/bin/python3

# Exact versions, the whole dependency closure, as tested together
# (snmpsim 1.2.2 needs pysmi < 2, pysnmp 7).
PINS=(
  snmpsim==1.2.2
  snmpsim-data==1.0.1
  pysmi==1.6.3
  pysnmp==7.1.30
  pyasn1==0.6.5
  ply==3.11
  Jinja2==3.1.6
  MarkupSafe==3.0.4
  requests==2.34.2
  certifi==2026.10.19.post1
  charset-normalizer==3.5.2
  idna==3.20
  urllib3==2.8.0
  numpy==2.4.6
  scipy==1.17.1
)
# allantools' metadata also requires matplotlib, pytest and numpydoc, which
# only its plotting and its own tests import; installed without dependencies,
# it runs on numpy and scipy above.
NODEPS_PINS=(allantools==2024.6)
STAMP="$VENV/.meridian-pins"
want=$(printf '%s\n' "${PINS[@]}" "${NODEPS_PINS[@]}")
IMPORTS='import snmpsim, snmpsim_data, pysmi, dbm.gnu, allantools'

# Extra test peers share the venv, each with a stamp of its own
# ($VENV/.meridian-NAME-pins), so adding one never rebuilds the snmpsim half
# under tests that are using it. install_extra NAME MODULE PIN...
install_extra() {
  local stamp="$VENV/.meridian-$1-pins" module=$2 want_extra
  shift 2
  want_extra=$(printf '%s\n' "$@")
  if [[ -f $stamp && $(cat "$stamp") == "$want_extra" ]] \
    && "$VENV/bin/python3" -c "import $module" 2>/dev/null; then
    echo "install-snmpsim: $module present in $VENV"
    return
  fi
  "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check --no-cache-dir "$@"
  "$VENV/bin/python3" -c "import $module"
  printf '%s\n' "$want_extra" >"$stamp"
  chmod -R a+rX "$VENV"
  echo "install-snmpsim: $1 ready in $VENV"
}

# The SMTP sink of the notification tests (aiosmtpd and its closure).
MAIL_PINS=(
  aiosmtpd==1.4.6
  atpublic==9.0.0
  attrs==26.1.0
)
# The Prometheus exposition parser that judges /metrics (no dependencies).
PROM_PINS=(prometheus_client==0.26.0)
# The OpenAPI validator that judges the team server's /api/openapi.json and
# its recorded responses (jsonschema comes with it), and its closure.
OAS_PINS=(
  openapi-spec-validator==0.9.0
  openapi-schema-validator==0.9.0
  jsonschema==4.26.0
  jsonschema-path==0.5.0
  jsonschema-specifications==2025.9.1
  referencing==0.37.0
  rpds-py==2026.9.1
  attrs==26.1.0
  lazy-object-proxy==1.13.0
  pathable==0.6.0
  PyYAML==6.0.4
  rfc3339-validator==0.1.4
  six==1.17.0
  pydantic==2.14.4
  pydantic-settings==2.16.3
  pydantic_core==2.50.5
  python-dotenv==1.2.4
  annotated-types==0.8.0
  typing-inspection==0.4.5
  typing_extensions==4.16.0
)
install_mail() { install_extra mail aiosmtpd "${MAIL_PINS[@]}"; }
install_prom() { install_extra prom prometheus_client.parser "${PROM_PINS[@]}"; }
install_oas() { install_extra openapi openapi_spec_validator "${OAS_PINS[@]}"; }

if [[ -x $VENV/bin/snmpsim-command-responder && -f $STAMP && $(cat "$STAMP") == "$want" ]] \
  && "$VENV/bin/python3" -c "$IMPORTS" 2>/dev/null; then
  echo "install-snmpsim: snmpsim and allantools present in $VENV"
  install_mail
  install_prom
  install_oas
  exit 0
fi

if [[ ! -x $PYTHON ]]; then
  echo "install-snmpsim: $PYTHON is missing; run scripts/install-deps.sh (Debian python3, python3-venv)" >&2
  exit 1
fi
if ! $PYTHON -c 'import dbm.gnu, venv, ensurepip' 2>/dev/null; then
  echo "install-snmpsim: $PYTHON lacks venv/ensurepip or dbm.gnu; install python3-venv and python3-gdbm" \
    "(scripts/install-deps.sh does)" >&2
  exit 1
fi

echo "install-snmpsim: building $VENV"
rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
$PYTHON -m venv "$VENV"
"$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check --no-cache-dir "${PINS[@]}"
"$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check --no-cache-dir --no-deps "${NODEPS_PINS[@]}"
"$VENV/bin/python3" -c "$IMPORTS"
printf '%s\n' "$want" >"$STAMP"
# Readable (and the venv's directories enterable) by the user snmpsim drops to.
chmod -R a+rX "$VENV"
echo "install-snmpsim: ${PINS[0]}, ${PINS[1]} and ${NODEPS_PINS[0]} ready in $VENV"
install_mail
install_prom
install_oas
