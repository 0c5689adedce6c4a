#!/bin/sh
# A PreTraffic hook: invokes the version about to receive traffic, before any traffic moves.
# shift sends {"DeploymentId", "LifecycleEventHookExecutionId", "FunctionName", "Alias",
# "CurrentVersion", "TargetVersion", "LifecycleEvent"} on stdin.
# Needs SHIFT (the shift binary) and SHIFT_HOME in its environment (set with --env at create time).
event=$(cat)
field() { printf '%s' "$event" | sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p"; }
function=$(field FunctionName)
target=$(field TargetVersion)
for attempt in 1 2 3; do
    if ! "$SHIFT" invoke "$function:$target" --payload '{"smoke": true}' >/dev/null 2>&1; then
        echo "smoke test $attempt of $function:$target failed" >&2
        printf '{"status": "Failed", "reason": "invocation %s of %s:%s failed"}\n' "$attempt" "$function" "$target"
        exit 0
    fi
done
echo "smoke test of $function:$target passed" >&2
echo '{"status": "Succeeded"}'
