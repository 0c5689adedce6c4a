/// The Node.js side of Lambda's programming model, run by `node` for each invocation
/// (`node bootstrap.cjs DIR/MODULE.FUNCTION`, in the version's code directory).
///
/// It follows the AWS Lambda Node.js runtime: the module is `MODULE.js`, `.mjs` or `.cjs` (ES modules through
/// `import()`); the handler is called with `(event, context, callback)`, and a returned promise (an `async`
/// handler) or the callback, whichever comes first, gives the result; `callbackWaitsForEmptyEventLoop` (default
/// true) keeps the invocation open until the event loop is empty, as Lambda does. The response goes to file
/// descriptor 3, so `console.log` (the log) cannot corrupt it. An error is written as Node's Lambda runtime writes
/// it, `{"errorType", "errorMessage", "trace"}`, and the process exits 1.
enum NodeBootstrap {
    static let source = #"""
// shift's Node.js bootstrap: Lambda's programming model for one invocation. Written by shift; do not edit.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

let finished = false;

function writeResponse(text) {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(3, data, offset, data.length - offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

function errorDocument(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: String(error.stack || '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function fail(document) {
  if (finished) return;
  finished = true;
  console.error('ERROR\t' + document.errorType + ': ' + document.errorMessage);
  writeResponse(JSON.stringify(document));
  process.exit(1);
}

function runtimeError(type, message) {
  return { errorType: type, errorMessage: message, trace: [] };
}

function succeed(result, context) {
  if (finished) return;
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch (error) {
    fail(runtimeError('Runtime.MarshalError', 'Unable to stringify response body: ' + error.message));
    return;
  }
  finished = true;
  writeResponse(body === undefined ? 'null' : body);
  if (!context.callbackWaitsForEmptyEventLoop) process.exit(0);
}

async function loadHandler(name) {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    fail(runtimeError('Runtime.MalformedHandlerName', "Bad handler '" + name + "': expected MODULE.FUNCTION, e.g. index.handler"));
  }
  const modulePath = path.resolve(process.cwd(), name.slice(0, dot));
  const functionName = name.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => modulePath + extension).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    fail(runtimeError('Runtime.ImportModuleError', "Error: Cannot find module '" + name.slice(0, dot) + "' (looked for .js, .mjs and .cjs in " + process.cwd() + ')'));
  }
  let module;
  try {
    if (file.endsWith('.mjs')) {
      module = await import(pathToFileURL(file).href);
    } else {
      try {
        module = require(file);
      } catch (error) {
        if (error.code !== 'ERR_REQUIRE_ESM') throw error;
        module = await import(pathToFileURL(file).href);
      }
    }
  } catch (error) {
    fail(runtimeError(error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError', String(error)));
  }
  const handler = module[functionName] !== undefined ? module[functionName] : (module.default || {})[functionName];
  if (typeof handler !== 'function') {
    fail(runtimeError('Runtime.HandlerNotFound', name + ' is undefined or not exported'));
  }
  return handler;
}

async function main() {
  const deadline = Number(process.env.SHIFT_DEADLINE_MS || 0);
  const raw = fs.readFileSync(0, 'utf8');
  let event;
  try {
    event = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (error) {
    fail(runtimeError('Runtime.UnmarshalError', 'Unable to parse input as JSON: ' + error.message));
    return;
  }
  const handler = await loadHandler(process.argv[2]);
  if (finished) return;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME || '',
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION || '$LATEST',
    invokedFunctionArn: process.env.SHIFT_INVOKED_FUNCTION_ARN || '',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128',
    awsRequestId: process.env.SHIFT_REQUEST_ID || '',
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME || '',
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME || '',
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
  };
  const callback = (error, result) => {
    if (error !== undefined && error !== null) fail(errorDocument(error));
    else succeed(result, context);
  };
  process.on('uncaughtException', (error) => fail(errorDocument(error)));
  process.on('unhandledRejection', (error) => fail(errorDocument(error)));
  // A handler that neither returns a promise nor calls back answers null once the event loop is empty.
  process.on('beforeExit', () => succeed(null, context));
  let returned;
  try {
    returned = handler(event, context, callback);
  } catch (error) {
    fail(errorDocument(error));
    return;
  }
  if (returned && typeof returned.then === 'function') {
    returned.then((result) => succeed(result, context), (error) => fail(errorDocument(error)));
  }
}

main().catch((error) => fail(errorDocument(error)));
"""#
}
