import Foundation

/// The three wire protocols shift speaks, and how each reports an error.
///
/// - Lambda: REST-JSON; the error code is in the `X-Amzn-ErrorType` header (`Code:uri` form) or the body's
///   `__type`/`Type`, the message in `message`/`Message`.
/// - SSM: JSON 1.1 (`X-Amz-Target: AmazonSSM.<Operation>`); the code is the body's `__type`, possibly
///   namespaced (`com.amazonaws.ssm#ParameterNotFound`).
/// - CloudWatch: the Query API (form-encoded `Action=...&Version=2010-08-01`, XML answers); errors are
///   `<ErrorResponse><Error><Code/><Message/></Error></ErrorResponse>`.
public enum AWSProtocol: Sendable, Equatable {
    case restJSON
    case json11
    case query

    /// The service's error code and message in a failed response; a generic code from the status when the body
    /// says nothing (`HTTP503`).
    public func error(in response: HTTPResponse) -> (code: String, message: String) {
        var code: String?
        var message: String?
        switch self {
        case .restJSON, .json11:
            if let header = response.header("X-Amzn-ErrorType") {
                code = Self.cleanCode(header)
            }
            if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
                if code == nil, let type = (object["__type"] ?? object["code"] ?? object["Code"]) as? String {
                    code = Self.cleanCode(type)
                }
                message = (object["message"] ?? object["Message"] ?? object["errorMessage"]) as? String
            }
        case .query:
            let tree = XMLTree(parsing: response.body)
            code = tree?.all("Code").first?.text
            message = tree?.all("Message").first?.text
        }
        let resolved = code.flatMap { $0.isEmpty ? nil : $0 } ?? "HTTP\(response.status)"
        let text = message.flatMap { $0.isEmpty ? nil : $0 }
            ?? String(decoding: response.body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (resolved, text)
    }

    /// `com.amazonaws.ssm#ParameterNotFound` or `ResourceNotFoundException:http://...` -> the bare code.
    static func cleanCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingCharacters(in: .whitespaces)
    }
}
