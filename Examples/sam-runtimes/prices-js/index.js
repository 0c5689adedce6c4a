// Prices an order. A file named FAILING beside this one makes half the invocations throw (a bad release).
'use strict';
const fs = require('fs');
const path = require('path');

const failing = fs.existsSync(path.join(__dirname, 'FAILING'));

exports.handler = async (event, context) => {
  if (failing && Math.random() < 0.5) throw new Error('this release cannot price orders');
  const items = event.items || [];
  const total = Math.round(items.reduce((sum, item) => sum + item.quantity * item.price, 0) * 100) / 100;
  return { total, currency: process.env.CURRENCY, version: context.functionVersion };
};
