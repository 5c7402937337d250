# Meridian: the two commands a new user needs are `make run` and `make test`.
# Both install whatever is missing first (apt packages, npm modules).

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
CARGO ?= cargo
BIN := $(CARGO_TARGET_DIR)/debug
# The Tauri CLI, pinned in ui/package.json (devDependencies) and installed by
# scripts/install-ui-deps.sh with the UI's other npm modules.
TAURI := $(CURDIR)/ui/node_modules/.bin/tauri

.PHONY: run server test deps ui ui-test build lint test-rust test-web test-desktop test-e2e test-package package icons bench bench-store bench-history bench-history-size bench-rollup-job bench-server bench-icmp bench-snmp bench-poll bench-poll-path bench-ptp bench-discovery bench-timing bench-events bindings fmt clean

## Start the desktop app on the embedded store (MERIDIAN_DATA_DIR moves it).
run: deps ui
	$(CARGO) build -p meridian-desktop -p meridian-cli
	$(BIN)/meridian-desktop

## A team server on https://127.0.0.1:8443 against a PostgreSQL of its own in target/server-local
## (README "Team server"); the first run prints the generated admin password once.
server: deps ui
	bash scripts/server-local.sh

## Everything CI runs: lint, Rust tests on both store backends, UI tests, the web console in Chromium,
## the desktop smoke and WebDriver tests.
test: deps ui ui-test lint test-rust test-web test-desktop test-e2e test-package
	@echo "make test: all suites passed"

deps:
	@bash scripts/install-deps.sh
	@bash scripts/install-ui-deps.sh
	@bash scripts/install-snmpsim.sh

ui:
	cd ui && npm run build

ui-test:
	cd ui && npm test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

test-rust:
	$(CARGO) test --workspace --locked

## The team server's web console (ui/dist, built by `ui`) in headless Chromium through chromedriver:
## log in, map and alarms, ack seen in a second browser within 1 s, the audit trail, a hostile name as text.
test-web: ui
	$(CARGO) test --workspace --test webconsole --locked -- --ignored --nocapture

# The smoke test drives the real app under Xvfb (needs root for its iptables
# DROP rule); its screenshot goes to the target dir, not over docs/.
test-desktop:
	$(CARGO) build -p meridian-desktop -p meridian-cli --locked
	SMOKE_SCREENSHOT=$(CARGO_TARGET_DIR)/smoke-screenshot.png bash tests/desktop-smoke.sh

## The desktop issue's scenario through WebDriver (tauri-driver + WebKitWebDriver):
## add a loopback device in the UI, see it green, DROP it, see it red with its alarm, acknowledge.
test-e2e:
	$(CARGO) build -p meridian-desktop -p meridian-cli --locked
	bash tests/desktop-e2e.sh

## Installers: the release build bundled as .deb and .rpm into $(CARGO_TARGET_DIR)/release/bundle/.
## The Tauri CLI runs scripts/package-stage.sh first (CLI, completions, man page).
package: deps ui
	$(CARGO) build --release -p meridian-desktop -p meridian-cli --locked
	$(TAURI) build --ci --bundles deb,rpm -- --locked
	@ls -1 $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb $(CARGO_TARGET_DIR)/release/bundle/rpm/*.rpm

## The debug build (already built by test-desktop) bundled as a .deb, installed,
## started under Xvfb, second launch, removed again (root: dpkg).
test-package:
	$(CARGO) build -p meridian-desktop -p meridian-cli --locked
	$(TAURI) build --ci --debug --bundles deb,rpm -- --locked
	bash tests/package-install.sh

## Every app icon in icons/ from the one source image (tray icons: scripts/tray-icons.sh).
ICON_SOURCE := icons/source/meridian.svg
ICON_FILES := 32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns
icons:
	@bash scripts/install-ui-deps.sh
	rm -rf $(CARGO_TARGET_DIR)/icons
	$(TAURI) icon $(ICON_SOURCE) --output $(CARGO_TARGET_DIR)/icons
	cd $(CARGO_TARGET_DIR)/icons && cp $(ICON_FILES) $(CURDIR)/icons/

## 1,000,000 samples into PGlite and native PostgreSQL in one run (release build).
bench-store: deps
	$(CARGO) bench -p meridian-store --bench ingest --locked

## 30-day chart from rollups vs raw (issue 15); MERIDIAN_BENCH_SERIES=1000 for the issue's size.
bench-history: deps
	$(CARGO) bench -p meridian-store --bench history_tiers --locked

## Store size over 90 simulated days of a 1,000-device monitor (issue 15).
bench-history-size: deps
	$(CARGO) bench --workspace --bench history_size --locked

## The rollup job's cost beside a 1,000-device monitor, simulated hours with time passed in (issue 15).
bench-rollup-job: deps
	$(CARGO) bench --workspace --bench rollup_job --locked

## Team server: ack -> event at 1,000 WebSocket clients vs raw NOTIFY; GET 10,000 devices vs sqlx.
bench-server: deps
	$(CARGO) bench -p meridian-server --bench fanout --locked

## ICMP sweep of 127.1.0.0/16 against fping in the same run (release build, run as root).
bench-icmp: deps
	$(CARGO) bench -p meridian-probe --bench icmp_sweep --locked

## SNMP walk and CPU per PDU against net-snmp, on a real snmpd (release build).
bench-snmp: deps
	$(CARGO) bench -p meridian-probe --bench snmp_walk --locked

## 10,000 simulated agents x 20 OIDs: poller CPU share and RSS (release build).
bench-poll: deps
	$(CARGO) bench -p meridian-probe --bench poll_cycle --locked

## Issue 13's whole poll path: 100,000 agents x 20 OIDs per 60 s through interpret, rules and the store (release build).
bench-poll-path: deps
	$(CARGO) bench -p meridian-service --bench poll_path --locked

## 1,000 PTP clocks (a management-protocol responder on UNIX sockets) polled every 10 s: poller CPU share (release build).
bench-ptp: deps
	$(CARGO) bench -p meridian-probe --bench ptp_poll --locked

## Discovery of 127.1.0.0/16 (100 snmpd addresses) against fping + snmpget per host (release build, run as root).
bench-discovery: deps
	$(CARGO) bench -p meridian-service --bench discovery --locked

## MTIE and TDEV of 1,000,000 phase samples against allantools in the same run (release build).
bench-timing: deps
	$(CARGO) bench -p meridian-core --bench timing --locked

## Traps and syslog flooded into Meridian, snmptrapd and rsyslogd over loopback (issue 17).
bench-events: deps
	$(CARGO) bench -p meridian-service --bench event_flood --locked

## All benchmarks; figures go to docs/PERFORMANCE.md.
bench: bench-store bench-history bench-history-size bench-rollup-job bench-server bench-icmp bench-snmp bench-poll bench-poll-path bench-ptp bench-discovery bench-timing bench-events

## Every fuzz target in fuzz/Cargo.toml under libFuzzer (cargo-fuzz, stable toolchain), seeded from the
## crate corpora: FUZZ_SECONDS per target (default 60) or FUZZ_RUNS executions; a crash stops with its file.
.PHONY: fuzz
fuzz:
	@bash scripts/install-deps.sh
	bash scripts/fuzz.sh

## Regenerate ui/src/generated/bindings.ts from the Rust types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p meridian-service --test bindings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules
