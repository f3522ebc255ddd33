#!/usr/bin/env bash
# fuzz-soak.sh [--cpu-seconds N] [--max-wall S] [--nice K] [--jobs J] [TARGET...]
#
# Long fuzzing runs (not in CI): each libFuzzer target of the `fuzz` preset
# (ASan + UBSan) fuzzes until its soak has used N seconds of CPU time in
# total (default 3600, an hour of one core), measured from /proc, so a soak
# on a shared machine explores as much as one on an idle core. --nice runs it
# at low priority (default 19: it takes only idle CPU); --max-wall stops a
# run that cannot get its CPU in time (default 6 x N) and says so. J targets
# run at once. Default targets: every tests/fuzz/fuzz_*.c.
#
# The working corpus persists in ~/.cache/hvcore/fuzz-soak/TARGET (seeds are
# read from tests/fuzz/corpus/TARGET), and so does a ledger of the runs (one
# line each: date, commit, CPU seconds, executions, result), so an
# interrupted soak resumes where it left off: the next run fuzzes only the
# CPU seconds still missing, and a target whose soak is complete is not run
# again (--cpu-seconds larger than the ledger's total extends it). Prints one
# Markdown table row per target (totals over the ledger) and exits 1 if any
# run found a crash, leak, timeout or sanitizer report (the reproducer is
# kept in the target's artifacts/ folder).
set -u
cd "$(dirname "$0")/.."
cpu_limit=3600 nice_level=19 jobs=1 max_wall=
while [ $# -gt 0 ]; do
	case $1 in
	--cpu-seconds) cpu_limit=$2; shift 2 ;;
	--max-wall) max_wall=$2; shift 2 ;;
	--nice) nice_level=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h | --help) sed -n '2,21p' "$0"; exit 0 ;;
	-*) echo "fuzz-soak: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
case "$cpu_limit$jobs$nice_level" in *[!0-9]*)
	echo "fuzz-soak: --cpu-seconds, --jobs and --nice take whole numbers" >&2; exit 2 ;;
esac
max_wall=${max_wall:-$((cpu_limit * 6))}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi

cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j2 >/dev/null || {
	echo "fuzz-soak: the fuzz preset does not build" >&2; exit 1; }

ticks=$(getconf CLK_TCK)
root=${HOME}/.cache/hvcore/fuzz-soak

# cpu_seconds PID: user + system time of a process so far, in seconds.
cpu_seconds() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
	stat=${stat##*) } # fields after the command name
	set -- $stat
	echo $(((${12} + ${13}) / ticks))
}

# ledger_sum FILE COLUMN: the sum of one column of a ledger (0 if none).
ledger_sum() {
	awk -v c="$2" '{ s += $c } END { print s + 0 }' "$1" 2>/dev/null || echo 0
}

# row TARGET LEDGER WORK RESULT: the target's table row, totals over its ledger.
row() {
	local cpu execs runs cov ft units
	cpu=$(ledger_sum "$2" 3)
	execs=$(ledger_sum "$2" 4)
	runs=$(wc -l <"$2" 2>/dev/null || echo 0)
	cov=$(grep -o 'cov: [0-9]*' "$3/fuzz.log" 2>/dev/null | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$3/fuzz.log" 2>/dev/null | tail -1 | cut -d' ' -f2)
	units=$(find "$3/corpus" -type f | wc -l)
	echo "| \`$1\` | $cpu | $runs | $execs | $((execs / (cpu > 0 ? cpu : 1))) | ${cov:-?} | ${ft:-?} | $units | $4 |"
}

# soak TARGET: one target's run; prints its table row.
soak() {
	local t=$1 bin="build/fuzz/tests/$1" work="$root/$1" start pid used=0 wall=0 why
	local ledger="$root/$1/ledger" done_cpu need
	[ -x "$bin" ] || { echo "| \`$t\` | not built |"; return 1; }
	mkdir -p "$work/corpus" "$work/artifacts"
	done_cpu=$(ledger_sum "$ledger" 3)
	need=$((cpu_limit - done_cpu))
	if [ "$need" -le 0 ]; then
		local found
		found=$(awk '$5 != 0 && $5 != 72' "$ledger" | wc -l)
		if [ "$found" -gt 0 ]; then
			row "$t" "$ledger" "$work" "complete; FOUND in $found earlier run(s), see $work/artifacts"
			return 1
		fi
		row "$t" "$ledger" "$work" "complete before this run, nothing found"
		return 0
	fi
	start=$(date +%s)
	nice -n "$nice_level" "$bin" -max_total_time=$((max_wall + 60)) -print_final_stats=1 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/" \
		"$work/corpus" "tests/fuzz/corpus/$t" >"$work/fuzz.log" 2>&1 &
	pid=$!
	why="cpu limit"
	local now
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		now=$(cpu_seconds "$pid")
		[ "$now" -lt 0 ] || used=$now # -1: it has just exited
		wall=$(($(date +%s) - start))
		if [ "$used" -ge "$need" ]; then break; fi
		if [ "$wall" -ge "$max_wall" ]; then why="wall limit"; break; fi
	done
	now=$(cpu_seconds "$pid")
	[ "$now" -lt 0 ] || used=$now
	kill -INT "$pid" 2>/dev/null # libFuzzer prints its final stats and exits 72
	wait "$pid"
	local rc=$? execs result commit
	# Interrupted from outside (a signal to the fuzzer) before its share.
	if [ "$why" = "cpu limit" ] && [ "$used" -lt "$need" ]; then why="stopped early"; fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
	if [ "$rc" -eq 72 ] || [ "$rc" -eq 0 ]; then
		result="nothing found ($why)"
	else
		result="FOUND (exit $rc): $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$work/fuzz.log" | cut -c1-100); $work/artifacts"
	fi
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $commit $used ${execs:-0} $rc" >>"$ledger"
	row "$t" "$ledger" "$work" "$result"
	[ "$rc" -eq 72 ] || [ "$rc" -eq 0 ]
}

echo "| target | CPU s | runs | executions | exec/CPU-s | cov | ft | corpus | result |"
echo "|---|---|---|---|---|---|---|---|---|"
status=0 running=0
for t in "${targets[@]}"; do
	soak "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n || status=1
		running=$((running - 1))
	fi
done
while [ "$running" -gt 0 ]; do
	wait -n || status=1
	running=$((running - 1))
done
exit $status
