// Prices an order: a real Lambda handler, run on the local platform with --runtime nodejs20.x (or nodejs22.x).
//
//   shift function create orders-js --code Examples/node-orders --runtime nodejs20.x --handler index.handler
//   shift invoke orders-js --payload '{"orderId": "o-1", "items": [{"sku": "A1", "quantity": 2, "price": 4.5}]}'
//
// FAILURE_RATE (0 to 1, default 0) makes that share of invocations throw, to rehearse a bad version.
'use strict';

exports.handler = async (event, context) => {
  const items = event.items || [];
  if (!Array.isArray(items)) throw new TypeError('items must be a list');
  if (Math.random() < Number(process.env.FAILURE_RATE || 0)) {
    throw new Error(`simulated failure (FAILURE_RATE=${process.env.FAILURE_RATE})`);
  }
  const total = Math.round(items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;
  console.log(`priced order ${event.orderId || '-'}: ${items.length} items, total ${total.toFixed(2)}`);
  return {
    orderId: event.orderId,
    total,
    currency: process.env.CURRENCY || 'EUR',
    version: context.functionVersion,
    requestId: context.awsRequestId,
  };
};
