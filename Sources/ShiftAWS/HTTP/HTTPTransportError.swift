/// Why a request got no answer, in the few words an `unreachable` error shows.
///
/// A transport maps its own failures (SwiftNIO's, a test double's) to these, so the AWS clients decide about
/// retries and messages without knowing which transport ran.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// Nothing listens at the endpoint's address and port.
    case connectionRefused
    /// The endpoint's host name does not resolve.
    case hostNotFound
    /// No answer (or no whole answer) within the attempt's time.
    case timedOut
    /// The connection closed before the answer was complete.
    case connectionLost
    /// The answer's body is larger than a transport accepts.
    case responseTooLarge(limit: Int)
    /// Any other failure, described without the URL (which may carry user info).
    case other(String)

    /// "connection refused", "timed out", ...
    public var reason: String {
        switch self {
        case .connectionRefused: "connection refused"
        case .hostNotFound: "host not found"
        case .timedOut: "timed out"
        case .connectionLost: "connection lost"
        case let .responseTooLarge(limit): "response larger than \(limit / 1_048_576) MiB"
        case let .other(detail): detail
        }
    }
}
