#!/usr/bin/env bash
# shift on the AWS platform against a moto server: create, publish, alias, a canary deployment
# watching a CloudWatch alarm. Usage: Examples/aws-moto.sh [ENDPOINT] (default http://127.0.0.1:5000).
set -euo pipefail
cd "$(dirname "$0")/.."
endpoint=${1:-http://127.0.0.1:5000}
[ -x .build/debug/shift ] || swift build --product shift
state=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$state" "$work"' EXIT
# moto takes any credentials; these are fakes.
export AWS_ACCESS_KEY_ID=AKIAMOTOEXAMPLE AWS_SECRET_ACCESS_KEY=fake AWS_REGION=us-east-1 SHIFT_HOME="$state"
shift() { echo "\$ shift $*" >&2; .build/debug/shift --account moto "$@"; }

curl -fsS -X POST "$endpoint/moto-api/config" -d '{"lambda": {"use_docker": false}}' >/dev/null
# moto needs an existing IAM role for CreateFunction, and the alarm to watch; boto3 comes with moto.
role=$(ENDPOINT="$endpoint" python3 - <<'PY'
import os, boto3
kw = dict(endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1")
iam = boto3.client("iam", **kw)
try:
    print(iam.create_role(RoleName="orders-api-exec", AssumeRolePolicyDocument="{}")["Role"]["Arn"])
except iam.exceptions.EntityAlreadyExistsException:
    print(iam.get_role(RoleName="orders-api-exec")["Role"]["Arn"])
cw = boto3.client("cloudwatch", **kw)
cw.put_metric_alarm(AlarmName="orders-api-errors", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum",
                    Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
cw.set_alarm_state(AlarmName="orders-api-errors", StateValue="OK", StateReason="quiet")
PY
)

mkdir -p "$work/code"
printf 'def handler(event, context):\n    return {"ok": True, "event": event}\n' > "$work/code/index.py"
.build/debug/shift account add moto --platform aws --endpoint-url "$endpoint" --role "$role" --runtime python3.12
name=orders-api-$RANDOM
shift function create "$name" --code "$work/code" --handler index.handler
shift function publish "$name"
shift function publish "$name"          # unchanged: no new version
shift function update "$name" --description "v2"
shift function publish "$name"
shift alias create "$name" live --version 1
shift invoke "$name:live" --payload '{"order": 7}'
shift deploy "$name" --alias live --version 2 --preference Canary50Percent4Seconds --alarm orders-api-errors --poll-interval 1
shift alias get "$name" live
shift deployment list
