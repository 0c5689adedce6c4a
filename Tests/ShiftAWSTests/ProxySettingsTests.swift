import Foundation
import ShiftAWS
import ShiftCore
import XCTest

final class ProxySettingsTests: XCTestCase {
    private let lambda = URL(string: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions")!
    private let moto = URL(string: "http://127.0.0.1:5000/2015-03-31/functions")!

    func testEnvironment_namesAProxyPerScheme_lowercaseFirst_withAllProxyForTheRest() throws {
        let settings = try ProxySettings(environment: [
            "https_proxy": "http://secure.example:3128", "HTTPS_PROXY": "http://ignored.example:1",
            "HTTP_PROXY": "plain.example", "ALL_PROXY": "http://fallback.example:8080",
        ])
        XCTAssertEqual(settings.https, ProxySettings.Server(host: "secure.example", port: 3128))
        XCTAssertEqual(settings.http, ProxySettings.Server(host: "plain.example", port: 80), "no scheme means http, no port 80")
        XCTAssertEqual(settings.server(for: lambda)?.host, "secure.example")
        XCTAssertEqual(settings.server(for: moto)?.host, "plain.example")

        let onlyAll = try ProxySettings(environment: ["all_proxy": "http://fallback.example:8080"])
        XCTAssertEqual(onlyAll.server(for: lambda), ProxySettings.Server(host: "fallback.example", port: 8080))
        XCTAssertEqual(try ProxySettings(environment: ["HTTPS_PROXY": ""]), ProxySettings.direct, "an empty value counts as unset")
    }

    func testCredentials_arePercentDecoded_andNeverInTheDescription() throws {
        let settings = try ProxySettings(environment: ["HTTPS_PROXY": "http://deploy%40corp:s3cr%3Aet@proxy.example:3128"])
        XCTAssertEqual(settings.https?.credentials, "deploy@corp:s3cr:et")
        XCTAssertEqual("\(settings.https!)", "proxy.example:3128")
    }

    func testNoProxy_sendsMatchingHostsDirectly() throws {
        let settings = try ProxySettings(environment: [
            "https_proxy": "http://proxy.example:3128", "http_proxy": "http://proxy.example:3128",
            "NO_PROXY": "localhost, .internal.example,amazonaws.com.cn:443 10.0.0.0/8,[::1],127.0.0.1",
        ])
        XCTAssertNil(settings.server(for: moto), "127.0.0.1")
        XCTAssertNil(settings.server(for: URL(string: "http://localhost:5000/")!))
        XCTAssertNil(settings.server(for: URL(string: "https://lambda.internal.example/")!), "a subdomain")
        XCTAssertNil(settings.server(for: URL(string: "https://internal.example/")!), "the domain itself")
        XCTAssertNil(settings.server(for: URL(string: "https://lambda.cn-north-1.amazonaws.com.cn/")!), "the port is ignored")
        XCTAssertNil(settings.server(for: URL(string: "http://10.1.2.3:4566/")!), "in the range")
        XCTAssertNil(settings.server(for: URL(string: "http://[::1]:5000/")!))
        XCTAssertNotNil(settings.server(for: URL(string: "http://11.1.2.3/")!), "outside the range")
        XCTAssertNotNil(settings.server(for: URL(string: "https://notinternal.example/")!), "a suffix that is not a subdomain")
        XCTAssertNotNil(settings.server(for: lambda))

        let everything = try ProxySettings(environment: ["https_proxy": "http://proxy.example:3128", "no_proxy": "*"])
        XCTAssertNil(everything.server(for: lambda))
    }

    func testAProxyThatIsNotAnHTTPURL_isBadInput_namingTheVariable_withoutThePassword() {
        for (value, expected) in [("https://user:hunter2@proxy.example:3128", "an http:// proxy"),
                                  ("http://user:hunter2@proxy.example:3128/path", "no path"),
                                  ("http://:3128", "a proxy URL")] {
            XCTAssertThrowsError(try ProxySettings(environment: ["HTTPS_PROXY": value]), value) { error in
                let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.hasPrefix("HTTPS_PROXY is '"), message)
                XCTAssertTrue(message.contains(expected), message)
                XCTAssertFalse(message.contains("hunter2"), message)
                XCTAssertEqual((error as? AWSPlatformError)?.category, .badInput)
            }
        }
    }

    func testPlatform_readsTheProxyFromItsEnvironment() {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-1",
                           "https_proxy": "ftp://proxy.example"]
        XCTAssertThrowsError(try AWSPlatform(settings: AccountSettings(platform: .aws), environment: environment)) { error in
            guard case .invalidProxy(variable: "https_proxy", _, _)? = error as? AWSPlatformError else { return XCTFail("\(error)") }
        }
    }

    func testTransport_tunnelsThroughTheProxy_withItsCredentials() async throws {
        let proxy = try LoopbackServer(response: "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        let transport = AsyncHTTPClientTransport(proxies: try ProxySettings(environment: ["https_proxy": "http://deploy:s3cr%40t@127.0.0.1:\(proxy.port)"]))
        _ = try? await transport.send(HTTPRequest(method: "GET", url: lambda), timeout: 10)
        XCTAssertTrue(proxy.waitUntilServed())
        XCTAssertTrue(proxy.request.hasPrefix("CONNECT lambda.eu-west-1.amazonaws.com:443 HTTP/1.1\r\n"), proxy.request)
        XCTAssertTrue(proxy.request.lowercased().contains("\r\nproxy-authorization: basic \(Data("deploy:s3cr@t".utf8).base64EncodedString().lowercased())\r\n"), proxy.request)
    }

    func testTransport_connectsDirectly_toWhatNoProxyNames() async throws {
        let server = try LoopbackServer(response: "HTTP/1.1 204 No Content\r\n\r\n")
        let transport = AsyncHTTPClientTransport(proxies: try ProxySettings(environment: [
            "http_proxy": "http://127.0.0.1:\(try LoopbackServer.unusedPort())", "no_proxy": "127.0.0.1"]))
        let response = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(server.port)/")!), timeout: 10)
        XCTAssertEqual(response.status, 204)
    }
}
