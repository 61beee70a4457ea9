#!/usr/bin/env bash
# The whole test suite: installs the test-only tools it needs, runs every test project,
# and ends with one plain line "N passed, N failed" counted from the test results.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

for setup in tests/setup/*.sh; do
  [ -e "$setup" ] || continue
  bash "$setup" || { echo "test setup failed: $setup"; echo "0 passed, 1 failed"; exit 1; }
done

results=$(mktemp -d)
dotnet test Operator.sln -c Release --logger "trx" --results-directory "$results" "$@"
rc=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
rm -rf "$results"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$rc"
