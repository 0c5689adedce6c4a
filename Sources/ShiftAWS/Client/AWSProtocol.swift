import Foundation

/// The two wire protocols shift speaks, and how each reports an error.
///
/// - Lambda: REST-JSON; the error code is in the `X-Amzn-ErrorType` header (`Code:uri` form) or the body's
///   `__type`/`Type`, the message in `message`/`Message`.
/// - SSM and CloudWatch: AWS JSON 1.1 and 1.0 (a `POST /` with `X-Amz-Target: <prefix>.<Operation>` and
///   `Content-Type: application/x-amz-json-<version>`, as their botocore models' `targetPrefix` and `jsonVersion`
///   say); the code is the body's `__type`, possibly namespaced (`com.amazonaws.ssm#ParameterNotFound`).
///   CloudWatch is "awsQueryCompatible": its `x-amzn-query-error` header (`Code;Sender`) carries the code its Query
///   API would have sent (`Throttling`), which is the one to use.
/// - S3: REST-XML; the code and message are the `<Error>` body's `<Code>` and `<Message>` (a HEAD answer has no
///   body: its status is all there is).
/// - STS: the Query protocol (a form-encoded `POST /` with `Action` and `Version`); answers and errors are XML
///   (`<ErrorResponse><Error><Code>...`), read with ``XMLElement``.
public enum AWSProtocol: Sendable, Equatable {
    case restJSON
    case restXML
    case json(version: String, targetPrefix: String)
    case query(version: String)

    /// The headers that make a JSON-protocol call of `operation`; none for REST-JSON.
    public func headers(for operation: String) -> [String: String] {
        switch self {
        case .restJSON, .restXML: [:]
        case let .json(version, targetPrefix): ["X-Amz-Target": "\(targetPrefix).\(operation)", "Content-Type": "application/x-amz-json-\(version)"]
        case .query: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"]
        }
    }

    /// The service's error code and message in a failed response; a generic code from the status when the body
    /// says nothing (`HTTP503`).
    public func error(in response: HTTPResponse) -> (code: String, message: String) {
        var code: String?
        var message: String?
        if self == .restXML {
            // Read below with the Query protocol's errors: S3's `<Error>` is the same document without its wrapper.
        } else if let queryError = response.header("x-amzn-query-error"), let queryCode = queryError.split(separator: ";").first {
            code = String(queryCode)
        } else if let header = response.header("X-Amzn-ErrorType") {
            code = Self.cleanCode(header)
        }
        if answersInXML, let root = try? XMLElement.parse(response.body) {
            let error = root.name == "Error" ? root : root.child("Error")
            code = error?.child("Code")?.text
            message = error?.child("Message")?.text
        } else if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if code == nil, let type = (object["__type"] ?? object["code"] ?? object["Code"]) as? String {
                code = Self.cleanCode(type)
            }
            message = (object["message"] ?? object["Message"] ?? object["errorMessage"]) as? String
        }
        let resolved = code.flatMap { $0.isEmpty ? nil : $0 } ?? "HTTP\(response.status)"
        let text = message.flatMap { $0.isEmpty ? nil : $0 }
            ?? String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (resolved, text)
    }

    /// Whether answers and errors are XML documents (S3, STS).
    var answersInXML: Bool {
        switch self {
        case .restXML, .query: true
        case .restJSON, .json: false
        }
    }

    /// `com.amazonaws.ssm#ParameterNotFound` or `ResourceNotFoundException:http://...` -> the bare code.
    static func cleanCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingCharacters(in: .whitespaces)
    }
}
