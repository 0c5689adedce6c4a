#!/bin/sh
# Echoes the event back with the version that ran. Always succeeds.
event=$(cat)
printf '{"ok": true, "version": "%s", "event": %s}\n' "$SHIFT_FUNCTION_VERSION" "${event:-null}"
