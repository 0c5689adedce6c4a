import Foundation

/// Which HTTP proxy a request goes through, from the variables curl and the AWS CLI read: `https_proxy` for
/// `https` URLs, `http_proxy` for `http` ones (each lowercase first, then uppercase), `all_proxy` for either when
/// its own is unset, and `no_proxy` for the hosts reached directly.
///
/// A proxy is `http://[USER:PASSWORD@]HOST[:PORT]` (the scheme may be left out; the port defaults to 80, as
/// curl's does); an `https` request goes through it in a `CONNECT` tunnel. `no_proxy` lists hosts separated by
/// commas or spaces: `*` (every host), a host name that also covers its subdomains (`example.com`, `.example.com`),
/// an IP address, or an IPv4 range (`10.0.0.0/8`); a `:PORT` after an entry is ignored.
public struct ProxySettings: Equatable, Sendable {
    /// A proxy server to connect through.
    public struct Server: Hashable, Sendable {
        public var host: String
        public var port: Int
        /// `USER:PASSWORD` from the URL, percent-decoded, sent as Basic proxy authorization. Never printed.
        public var credentials: String?

        public init(host: String, port: Int, credentials: String? = nil) {
            self.host = host
            self.port = port
            self.credentials = credentials
        }
    }

    public var https: Server?
    public var http: Server?
    /// `no_proxy`'s entries, lowercased, without leading dots and ports.
    public var bypass: [String]

    /// No proxy at all: every request connects directly.
    public static let direct = ProxySettings(https: nil, http: nil, bypass: [])

    public init(https: Server?, http: Server?, bypass: [String]) {
        self.https = https
        self.http = http
        self.bypass = bypass
    }

    /// The settings `environment` gives.
    /// - Throws: `AWSPlatformError.invalidProxy` naming the variable when its value is not an `http://` proxy URL
    ///   (the message leaves out any password).
    public init(environment: [String: String]) throws {
        func variable(_ name: String) -> (name: String, value: String)? {
            for candidate in [name, name.uppercased()] {
                if let value = environment[candidate]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (candidate, value) }
            }
            return nil
        }
        let all = try variable("all_proxy").map(Self.parseServer)
        https = try variable("https_proxy").map(Self.parseServer) ?? all
        http = try variable("http_proxy").map(Self.parseServer) ?? all
        bypass = (variable("no_proxy")?.value ?? "")
            .split(whereSeparator: { $0 == "," || $0 == " " })
            .map { entry -> String in
                var text = entry.lowercased()
                while text.hasPrefix(".") { text.removeFirst() }
                if text.hasPrefix("[") {
                    text = String(text.dropFirst().prefix { $0 != "]" })
                } else if text.filter({ $0 == ":" }).count == 1 {
                    text = String(text.prefix { $0 != ":" })
                }
                return text
            }
            .filter { !$0.isEmpty }
    }

    /// The proxy for a request to `url`, or nil to connect directly.
    public func server(for url: URL) -> Server? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        guard let server = scheme == "https" ? https : scheme == "http" ? http : nil else { return nil }
        return bypasses(host) ? nil : server
    }

    /// Whether `no_proxy` sends requests to `host` directly.
    public func bypasses(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bypass.contains { entry in
            if entry == "*" || entry == host || host.hasSuffix("." + entry) { return true }
            guard let slash = entry.firstIndex(of: "/"), let bits = Int(entry[entry.index(after: slash)...]), (0...32).contains(bits),
                  let network = Self.ipv4(String(entry[..<slash])), let address = Self.ipv4(host) else { return false }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return network & mask == address & mask
        }
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    /// `http://[USER:PASSWORD@]HOST[:PORT]` read from `variable`.
    private static func parseServer(_ variable: (name: String, value: String)) throws -> Server {
        let text = variable.value.contains("://") ? variable.value : "http://" + variable.value
        func invalid(_ expected: String) -> AWSPlatformError {
            .invalidProxy(variable: variable.name, value: CredentialsChain.withoutUserInfo(text), expected: expected)
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw invalid("a proxy URL such as http://proxy.example.com:3128")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw invalid("an http:// proxy (shift reaches https endpoints through it in a CONNECT tunnel)")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw invalid("a proxy URL with no path, such as http://proxy.example.com:3128")
        }
        var credentials: String?
        if let user = components.percentEncodedUser {
            let password = components.percentEncodedPassword ?? ""
            credentials = "\(user.removingPercentEncoding ?? user):\(password.removingPercentEncoding ?? password)"
        }
        return Server(host: host, port: components.port ?? 80, credentials: credentials)
    }
}

extension ProxySettings.Server: CustomStringConvertible {
    /// `HOST:PORT`, without credentials.
    public var description: String { "\(host):\(port)" }
}
