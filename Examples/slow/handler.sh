#!/bin/sh
# Sleeps SLEEP_SECONDS (default 30): longer than its timeout, so shift kills it and counts an error.
cat > /dev/null
echo "sleeping ${SLEEP_SECONDS:-30}s" >&2
sleep "${SLEEP_SECONDS:-30}"
echo '{"ok": true}'
