"""Prices an order: a real Lambda handler, run on the local platform with --runtime python3.12.

    shift function create orders --code Examples/python-orders --runtime python3.12 --handler app.lambda_handler
    shift invoke orders --payload '{"orderId": "o-1", "items": [{"sku": "A1", "quantity": 2, "price": 4.5}]}'

FAILURE_RATE (0 to 1, default 0) makes that share of invocations raise, to rehearse a bad version.
"""
import os
import random


class InvalidOrder(Exception):
    pass


def lambda_handler(event, context):
    items = event.get("items", [])
    if not isinstance(items, list):
        raise InvalidOrder("items must be a list")
    if random.random() < float(os.environ.get("FAILURE_RATE", "0")):
        raise RuntimeError("simulated failure (FAILURE_RATE=%s)" % os.environ["FAILURE_RATE"])
    total = round(sum(item["quantity"] * item["price"] for item in items), 2)
    print("priced order %s: %d items, total %.2f" % (event.get("orderId", "-"), len(items), total))
    return {
        "orderId": event.get("orderId"),
        "total": total,
        "currency": os.environ.get("CURRENCY", "EUR"),
        "version": context.function_version,
        "requestId": context.aws_request_id,
    }
