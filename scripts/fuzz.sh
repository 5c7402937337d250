#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target named in fuzz/Cargo.toml with
# libFuzzer, one after the other, each for FUZZ_SECONDS or FUZZ_RUNS
# executions (whichever comes first), seeded from the crate corpora that
# `make test` replays. What the fuzzer discovers stays in fuzz/corpus-work/
# (ignored by git). A crash stops the run and prints the reproducer's path.
#
#   FUZZ_SECONDS  time per target (default 60; 0 = no time limit)
#   FUZZ_RUNS     executions per target (default unlimited)
#   FUZZ_TARGETS  space-separated subset (default: all of fuzz/Cargo.toml)
#   FUZZ_RSS_MB   memory limit of the fuzzer process (default 2048)
#   FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (default 10)
#   FUZZ_NICE     niceness (default 10: the fuzzer shares the machine)
#   FUZZ_ARGS     extra libFuzzer flags
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash scripts/install-fuzz.sh
[[ -d $HOME/.cargo/bin ]] && export PATH="$PATH:$HOME/.cargo/bin"

SECONDS_PER=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:--1}
RSS_MB=${FUZZ_RSS_MB:-2048}
TIMEOUT=${FUZZ_TIMEOUT:-10}
NICE=${FUZZ_NICE:-10}
# -s none: no sanitizer, so no -Z flag and no nightly (the code under test is
# safe Rust; a panic, overflow (-a keeps debug assertions) or OOM is the bug).
BUILD_FLAGS=(-s none -O -a --fuzz-dir fuzz)

# Every [[bin]] name in fuzz/Cargo.toml: targets added there join without
# editing this script.
all_targets() {
  awk '/^\[\[bin\]\]/ { bin = 1; next }
       /^\[/          { bin = 0 }
       bin && /^name *=/ { gsub(/.*= *"|".*/, ""); print }' fuzz/Cargo.toml
}

# Seeds: crates/<crate>/tests/corpus/<target>/, plus the directories that
# fuzz/seed-dirs names for targets whose corpus has another name.
seed_dirs() {
  local t=$1 d
  for d in crates/*/tests/corpus/"$t"; do [[ -d $d ]] && echo "$d"; done
  if [[ -f fuzz/seed-dirs ]]; then
    awk -v t="$t" '$1 == t { print $2 }' fuzz/seed-dirs | while read -r d; do [[ -d $d ]] && echo "$d"; done
  fi
  return 0
}

targets=${FUZZ_TARGETS:-$(all_targets)}
[[ -n $targets ]] || { echo "fuzz: no [[bin]] targets in fuzz/Cargo.toml" >&2; exit 1; }

echo "fuzz: building ${targets//$'\n'/ }"
nice -n "$NICE" cargo fuzz build "${BUILD_FLAGS[@]}"

mkdir -p fuzz/artifacts
summary=fuzz/artifacts/summary.tsv
[[ -f $summary ]] || printf 'date\ttarget\texecutions\texec_per_s\tcov\tft\tcorpus_files\tcorpus_bytes\tseconds\tpeak_rss_mb\n' >"$summary"

for t in $targets; do
  work=fuzz/corpus-work/$t
  arts=fuzz/artifacts/$t
  log=fuzz/artifacts/$t.log
  mkdir -p "$work" "$arts"
  mapfile -t seeds < <(seed_dirs "$t")
  echo "fuzz: $t for ${SECONDS_PER}s / ${RUNS} runs, seeds: ${seeds[*]:-none}"
  start=$(date +%s)
  # The work corpus comes first: libFuzzer writes new inputs only there,
  # never into the committed seed directories.
  set +e
  nice -n "$NICE" cargo fuzz run "${BUILD_FLAGS[@]}" "$t" "$work" "${seeds[@]}" -- \
    -max_total_time="$SECONDS_PER" -runs="$RUNS" -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$RSS_MB" \
    -timeout="$TIMEOUT" -artifact_prefix="$arts/" -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
  rc=$?
  set -e
  took=$(($(date +%s) - start))
  if ((rc != 0)); then
    tail -n 40 "$log" >&2
    repro=$(grep -a -o 'Test unit written to [^ ]*' "$log" | tail -n 1 | cut -d' ' -f5)
    echo "fuzz: $t FAILED (exit $rc) after ${took}s; reproducer: ${repro:-none written, see $log}" >&2
    echo "fuzz: replay it with: cargo fuzz run ${BUILD_FLAGS[*]} $t ${repro:-<file>}" >&2
    exit 1
  fi
  # grep -a: the log can hold raw input bytes (a dictionary, a crash input).
  fstat() { grep -a -o "stat::$1: *[0-9]*" "$log" | tail -n 1 | grep -o '[0-9]*$'; }
  # A figure that cannot be read is left blank; it never fails the run.
  done_line=$(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1) || true
  cov=$(grep -o 'cov: [0-9]*' <<<"$done_line" | cut -d' ' -f2) || true
  ft=$(grep -o 'ft: [0-9]*' <<<"$done_line" | cut -d' ' -f2) || true
  files=$(find "$work" -type f | wc -l)
  bytes=$(du -sb "$work" | cut -f1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$(fstat number_of_executed_units)" \
    "$(fstat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" "$files" "$bytes" "$took" "$(fstat peak_rss_mb)" | tee -a "$summary"
done
echo "fuzz: no crash; figures in $summary"
