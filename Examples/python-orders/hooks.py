"""A PreTraffic hook for the orders function: prices a known order with the version about to receive traffic.

    shift function create orders-pretraffic --code Examples/python-orders --runtime python3.12 \
        --handler hooks.pre_traffic --env SHIFT=$(command -v shift) --env SHIFT_HOME=$SHIFT_HOME [--env ACCOUNT=NAME]

shift sends {"DeploymentId", "LifecycleEventHookExecutionId", "FunctionName", "Alias", "CurrentVersion",
"TargetVersion", "LifecycleEvent"}; the hook answers {"status": "Succeeded"} or {"status": "Failed"}.
"""
import json
import os
import subprocess

SAMPLE = {"orderId": "smoke", "items": [{"sku": "A1", "quantity": 2, "price": 4.5}]}


def pre_traffic(event, context):
    target = "%s:%s" % (event["FunctionName"], event["TargetVersion"])
    for attempt in range(3):
        invoked = subprocess.run(
            [os.environ["SHIFT"], "invoke", target, "--payload", json.dumps(SAMPLE), "--account", os.environ.get("ACCOUNT", "default")],
            capture_output=True, text=True, timeout=max(context.get_remaining_time_in_millis() / 1000 - 1, 1))
        if invoked.returncode != 0 or json.loads(invoked.stdout).get("total") != 9.0:
            print("smoke test %d of %s failed: %s" % (attempt + 1, target, invoked.stderr.strip()))
            return {"status": "Failed", "reason": "invocation %d of %s failed" % (attempt + 1, target)}
    print("smoke test of %s passed" % target)
    return {"status": "Succeeded"}
