/// The Python side of Lambda's programming model, run by the interpreter for each invocation
/// (`python3 -u bootstrap.py MODULE.FUNCTION`, in the version's code directory).
///
/// It follows awslambdaric (the AWS Lambda Python runtime interface client): the handler name is split at its last
/// dot, `/` in the module path reads as `.`; the event is the JSON payload; the context carries Lambda's fields with
/// the time left counted from `SHIFT_DEADLINE_MS`; the return value is serialised with `json.dumps`. The response
/// goes to file descriptor 3, so the handler's own prints (stdout and stderr, both the log) cannot corrupt it. An
/// uncaught exception is written there as Lambda's error document, `{"errorMessage", "errorType", "stackTrace"}`,
/// and the process exits 1; `LambdaRuntime.result(of:)` reads it back as an `Unhandled` function error.
enum PythonBootstrap {
    static let source = #"""
# shift's Python bootstrap: Lambda's programming model for one invocation. Written by shift; do not edit.
import importlib
import json
import os
import sys
import time
import traceback


def write_response(data):
    view = memoryview(data)
    while view:
        written = os.write(3, view)
        view = view[written:]


def error_document(error_type, message, stack=None):
    return {"errorMessage": message, "errorType": error_type, "stackTrace": stack or []}


def fail(document):
    # Lambda logs the error as well as returning it.
    sys.stderr.write("[ERROR] %s: %s\n" % (document["errorType"], document["errorMessage"]))
    for line in document["stackTrace"]:
        sys.stderr.write(line)
    sys.stderr.flush()
    write_response(json.dumps(document).encode("utf-8"))
    sys.exit(1)


class LambdaContext(object):
    def __init__(self, deadline_ms):
        self._deadline_ms = deadline_ms
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = os.environ.get("SHIFT_INVOKED_FUNCTION_ARN", "")
        # A string, as awslambdaric gives it.
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = os.environ.get("SHIFT_REQUEST_ID", "")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)


def load_handler(name):
    try:
        module_name, function_name = name.rsplit(".", 1)
    except ValueError:
        fail(error_document("Runtime.MalformedHandlerName", "Bad handler '%s': expected MODULE.FUNCTION, e.g. app.lambda_handler" % name))
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        fail(error_document("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error)))
    except SyntaxError as error:
        fail(error_document("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error)))
    except Exception as error:
        fail(error_document(type(error).__name__, str(error), traceback.format_list(traceback.extract_tb(sys.exc_info()[2]))))
    handler = getattr(module, function_name, None)
    if handler is None or not callable(handler):
        fail(error_document("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name)))
    return handler


def main():
    sys.path.insert(0, os.getcwd())
    deadline_ms = int(os.environ.get("SHIFT_DEADLINE_MS", "0"))
    raw = sys.stdin.buffer.read()
    try:
        event = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except ValueError as error:
        fail(error_document("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % error))
    handler = load_handler(sys.argv[1])
    try:
        result = handler(event, LambdaContext(deadline_ms))
    except Exception as error:
        stack = traceback.format_list(traceback.extract_tb(sys.exc_info()[2])[1:])
        fail(error_document(type(error).__name__, str(error), stack))
    except SystemExit as error:
        fail(error_document("Runtime.ExitError", "Runtime exited with error: exit status %s" % error.code))
    try:
        response = json.dumps(result)
    except (TypeError, ValueError) as error:
        fail(error_document("Runtime.MarshalError", "Unable to marshal response: %s" % error))
    sys.stdout.flush()
    write_response(response.encode("utf-8"))


main()
"""#
}
