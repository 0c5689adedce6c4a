#!/usr/bin/env bash
# The shift demo: a real traffic-shifting deployment on the local platform, then a rollback.
# Every step is a shift command; nothing is faked. Runs in about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SHIFT="${SHIFT:-$root/.build/debug/shift}"
export SHIFT_HOME="$root/demo-state"
rm -rf "$SHIFT_HOME"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ shift %s\n' "$*"; "$SHIFT" "$@"; }

say "1. orders-api version 1 behind alias 'live'"
run function create orders-api --code Examples/flaky --handler ./handler.sh --timeout 5 --env ERROR_RATE=0 --env RELEASE=v1 >/dev/null
run function publish orders-api
run alias create orders-api live --version 1 >/dev/null
run function create smoke-test --code Examples/hooks --handler ./smoke-test.sh --timeout 30 --env "SHIFT=$SHIFT" --env "SHIFT_HOME=$SHIFT_HOME" >/dev/null

say "2. an alarm on real errors through 'live': 3 or more errors in a 2-second period"
run alarm put orders-api-errors --function orders-api --alias live --metric Errors --statistic Sum \
    --period 2 --evaluation-periods 1 --threshold 3 --comparison GreaterThanOrEqualToThreshold --treat-missing-data notBreaching

say "3. real traffic in the background: 20 invocations a second for 45 seconds"
"$SHIFT" traffic orders-api:live --rate 20 --duration 45 > "$SHIFT_HOME/traffic.log" 2>&1 &
traffic=$!
trap 'kill $traffic 2>/dev/null || true' EXIT
sleep 2

say "4. version 2 (healthy): canary 20% for 6 seconds, PreTraffic smoke test, alarm watched"
run function update orders-api --env ERROR_RATE=0 --env RELEASE=v2 >/dev/null
run function publish orders-api
run deploy orders-api --alias live --version 2 --preference Canary20Percent6Seconds \
    --alarm orders-api-errors --pre-traffic smoke-test
run alias get orders-api live

say "5. version 3 (broken: 60% of its invocations fail): linear 20% every 4 seconds"
run function update orders-api --env ERROR_RATE=60 --env RELEASE=v3 >/dev/null
run function publish orders-api
set +e
run deploy orders-api --alias live --version 3 --preference Linear20PercentEvery4Seconds --alarm orders-api-errors
status=$?
set -e
if [ "$status" -ne 1 ]; then
    echo "demo: expected the version 3 deployment to roll back (exit 1), got exit $status" >&2
    exit 1
fi
echo "(exit $status: the deployment failed and rolled back)"

say "6. where things stand"
run alias get orders-api live
run deployment list
sleep 3
run metrics orders-api --since 60 --period 10
wait "$traffic" || true
trap - EXIT
echo
tail -n 1 "$SHIFT_HOME/traffic.log"
say "done: version 2 serves all traffic; state is in $SHIFT_HOME"
