import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), header-based.
///
/// S3 (signing name `s3`) differs in two rules the specification names: its path is encoded once, not twice,
/// and not normalized; and every request carries `X-Amz-Content-Sha256`.
///
/// Each stage of the SigV4 specification is its own function, so tests can check them one by one against the
/// published `aws-sig-v4-test-suite`:
/// 1. canonical request: ``canonicalURI(path:)``, ``canonicalQueryString(query:)``,
///    ``canonicalHeaders(_:)``, ``hashedPayload(_:)``, ``canonicalRequest(method:path:query:headers:body:)``;
/// 2. string to sign: ``stringToSign(canonicalRequest:date:)``;
/// 3. signing key: ``signingKey(date:)``;
/// 4. signature and header: ``signature(stringToSign:date:)``, ``sign(method:url:headers:body:date:includeContentSha256:)``.
///
/// The date is always a parameter: the signer never reads the clock, so a test pins it and compares exact headers.
public struct SigV4Signer: Sendable {
    /// The credentials that sign; their secret only ever enters ``signingKey(date:)``.
    public let credentials: AWSCredentials
    /// The region of the credential scope, e.g. `eu-west-1`.
    public let region: String
    /// The signing name of the service in the credential scope: `lambda`, `monitoring`, `ssm`.
    public let service: String

    /// Whether S3's rules apply (see the type's summary).
    public var isS3: Bool { service == "s3" }

    /// The algorithm named in the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// A signer for one service in one region.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    // MARK: - Task 1: the canonical request

    /// The `CanonicalURI` of SigV4 task 1 for a non-S3 service.
    ///
    /// `path` is the path as it goes on the wire (already percent-encoded once). It is normalized as RFC 3986
    /// removes dot segments (`.` and `..` go, runs of `/` collapse, a trailing `/` stays), then every segment is
    /// URI-encoded again: services other than S3 expect the path double-encoded, so `%3A` becomes `%253A`.
    public static func canonicalURI(path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        var uri = "/" + segments.map { uriEncode(String($0)) }.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { uri += "/" }
        return uri
    }

    /// The `CanonicalQueryString` of SigV4 task 1.
    ///
    /// `query` is the raw query (without `?`). Each name and value is decoded, re-encoded with RFC 3986
    /// (only `A-Z a-z 0-9 - . _ ~` left as is, spaces as `%20`), then the pairs are sorted by name and, for
    /// equal names, by value. A name without `=` gets an empty value.
    public static func canonicalQueryString(query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs: [(String, String)] = query.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (uriEncode(name), uriEncode(value))
        }
        return pairs
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The `CanonicalHeaders` and `SignedHeaders` of SigV4 task 1.
    ///
    /// Names are lowercased and sorted; values are trimmed and each run of spaces collapses to one. Headers that
    /// differ only in case are joined with `,` in the order given. `canonical` ends with a newline, as the
    /// specification's canonical headers do; `signed` is the `;`-separated list of names.
    public static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased(), default: []].append(normalizedHeaderValue(value))
        }
        let names = merged.keys.sorted()
        let canonical = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// The `HashedPayload` of SigV4 task 1: the lowercase hex SHA-256 of the body (of nothing for an empty body).
    public static func hashedPayload(_ body: Data) -> String {
        hex(SHA256.hash(data: body))
    }

    /// The whole `CanonicalRequest` of SigV4 task 1: method, canonical URI, canonical query string,
    /// canonical headers, signed headers and hashed payload, one per line.
    ///
    /// `headers` must already contain everything that is signed, `Host` and `X-Amz-Date` included.
    /// `encodesPathOnce` is S3's rule: the path as sent (encoded once), neither normalized nor encoded again.
    public static func canonicalRequest(
        method: String, path: String, query: String?, headers: [(name: String, value: String)], body: Data, encodesPathOnce: Bool = false
    ) -> String {
        let (canonical, signed) = canonicalHeaders(headers)
        return [
            method.uppercased(),
            encodesPathOnce ? (path.isEmpty ? "/" : path) : canonicalURI(path: path),
            canonicalQueryString(query: query),
            canonical,
            signed,
            hashedPayload(body),
        ].joined(separator: "\n")
    }

    // MARK: - Task 2: the string to sign

    /// The credential scope: `yyyyMMdd/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(Self.shortDate(date))/\(region)/\(service)/aws4_request"
    }

    /// The `StringToSign` of SigV4 task 2: algorithm, amz date, credential scope and the hex SHA-256 of the
    /// canonical request, one per line.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            Self.algorithm,
            Self.amzDate(date),
            credentialScope(date: date),
            Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
    }

    // MARK: - Task 3: the signing key

    /// The signing key of SigV4 task 3: the HMAC-SHA256 chain
    /// `"AWS4" + secret` -> date -> region -> service -> `aws4_request`.
    ///
    /// It depends only on the day, region and service, so a caller could cache it for a day.
    public func signingKey(date: Date) -> SymmetricKey {
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        let dateKey = Self.hmac(Self.shortDate(date), key: secret)
        let regionKey = Self.hmac(region, key: dateKey)
        let serviceKey = Self.hmac(service, key: regionKey)
        return Self.hmac("aws4_request", key: serviceKey)
    }

    // MARK: - Task 4: the signature and the Authorization header

    /// The signature of SigV4 task 4: the lowercase hex HMAC-SHA256 of the string to sign under the signing key.
    public func signature(stringToSign: String, date: Date) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(date: date))
        return Self.hex(code)
    }

    /// The `Authorization` header value of SigV4 task 4.
    public func authorization(signedHeaders: String, signature: String, date: Date) -> String {
        "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(credentialScope(date: date)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// Signs a request: runs the four SigV4 tasks and returns `headers` plus what signing adds.
    ///
    /// Added: `X-Amz-Date`; `X-Amz-Security-Token` when the credentials have a session token;
    /// `X-Amz-Content-Sha256` when `includeContentSha256` is set or the service is S3 (Lambda, CloudWatch and
    /// SSM do not want it); `Authorization`. Every header given is signed, and so is `Host`, taken from
    /// the URL (with the port when it is not the scheme's default) as HTTP clients send it; `Host` is not added
    /// to the result, since the HTTP client sets it. A `Host` or `X-Amz-Date` already in `headers` is kept.
    /// - Throws: `AWSPlatformError.unsignableURL` when the URL has no host.
    public func sign(
        method: String,
        url: URL,
        headers: [String: String] = [:],
        body: Data = Data(),
        date: Date,
        includeContentSha256: Bool = false
    ) throws -> [String: String] {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              let host = components.host, !host.isEmpty
        else { throw AWSPlatformError.unsignableURL(url: url.absoluteString) }

        var result = headers
        func has(_ name: String) -> Bool { result.keys.contains { $0.lowercased() == name.lowercased() } }
        if !has("X-Amz-Date") { result["X-Amz-Date"] = Self.amzDate(date) }
        if let token = credentials.sessionToken, !has("X-Amz-Security-Token") { result["X-Amz-Security-Token"] = token }
        let payloadHash = Self.hashedPayload(body)
        if includeContentSha256 || isS3, !has("X-Amz-Content-Sha256") { result["X-Amz-Content-Sha256"] = payloadHash }

        var signed = result.map { (name: $0.key, value: $0.value) }
        if !has("Host") { signed.append((name: "host", value: Self.hostHeader(components))) }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let canonical = Self.canonicalRequest(
            method: method, path: path, query: components.percentEncodedQuery, headers: signed, body: body, encodesPathOnce: isS3)
        let toSign = stringToSign(canonicalRequest: canonical, date: date)
        result["Authorization"] = authorization(
            signedHeaders: Self.canonicalHeaders(signed).signed,
            signature: signature(stringToSign: toSign, date: date),
            date: date)
        return result
    }

    // MARK: - Encoding and formatting

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC: the `X-Amz-Date` form.
    public static func amzDate(_ date: Date) -> String {
        let c = utcComponents(date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `yyyyMMdd` in UTC: the date of the credential scope.
    public static func shortDate(_ date: Date) -> String {
        String(amzDate(date).prefix(8))
    }

    /// RFC 3986 encoding as SigV4 specifies it: every byte but `A-Z a-z 0-9 - . _ ~` becomes `%XX`, uppercase.
    public static func uriEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    /// Trims a header value and collapses each run of spaces inside it to one space.
    static func normalizedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `host` or `host:port` when the port is not the scheme's default.
    static func hostHeader(_ components: URLComponents) -> String {
        let host = components.host ?? ""
        guard let port = components.port else { return host }
        let isDefault = (components.scheme == "https" && port == 443) || (components.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }

    private static func hmac(_ text: String, key: SymmetricKey) -> SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
    }

    private static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func utcComponents(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    }
}
