#!/bin/sh
# Fails a share of invocations: ERROR_RATE percent of them (0 to 100, default 0).
# Set it per version to make a "bad version" on purpose:
#   shift function update flaky --env ERROR_RATE=50 && shift function publish flaky
cat > /dev/null
rate=${ERROR_RATE:-0}
roll=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
if [ $((roll % 100)) -lt "$rate" ]; then
    echo "simulated failure (ERROR_RATE=$rate)" >&2
    exit 1
fi
printf '{"ok": true, "version": "%s"}\n' "$SHIFT_FUNCTION_VERSION"
