"""Prices an order. A file named FAILING beside this one makes half the invocations raise (a bad release)."""
import os
import random

FAILING = os.path.exists(os.path.join(os.path.dirname(__file__), "FAILING"))


def lambda_handler(event, context):
    if FAILING and random.random() < 0.5:
        raise RuntimeError("this release cannot price orders")
    items = event.get("items", [])
    total = round(sum(item["quantity"] * item["price"] for item in items), 2)
    return {"total": total, "currency": os.environ["CURRENCY"], "version": context.function_version}
