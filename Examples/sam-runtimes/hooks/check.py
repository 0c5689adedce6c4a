"""A PreTraffic hook: shift sends the deployment (FunctionName, CurrentVersion, TargetVersion, ...); the hook
answers {"status": "Succeeded"} or {"status": "Failed"}. This one checks that it was asked about a new version."""


def pre_traffic(event, context):
    if int(event["TargetVersion"]) > int(event.get("CurrentVersion") or 0):
        return {"status": "Succeeded"}
    return {"status": "Failed", "reason": "the target version is not newer than the current one"}
