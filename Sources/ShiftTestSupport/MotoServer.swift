import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A moto server on a loopback port for the AWS-platform tests.
///
/// `SHIFT_TEST_MOTO_ENDPOINT` (set by `.ci/run`, which starts the server) wins; otherwise a `moto_server` is
/// started here on a free port and stopped by `stop()`. Either way Lambda is switched to its no-Docker mode
/// through `/moto-api/config`: Invoke then echoes the payload and sends no `X-Amz-Executed-Version`.
/// Without either, `start()` throws ``Unavailable``, which tests turn into a skip that says why
/// (`pip install 'moto[server]'` fixes it).
public final class MotoServer: @unchecked Sendable {
    public let endpoint: URL
    private let process: Process?

    public static let region = "us-east-1"
    /// moto accepts any key; these are fakes, and tests check they never show in output.
    public static let environment = ["AWS_ACCESS_KEY_ID": "AKIAMOTOTESTKEY00001", "AWS_SECRET_ACCESS_KEY": "moto-secret-never-printed", "AWS_REGION": region]

    private init(endpoint: URL, process: Process?) {
        self.endpoint = endpoint
        self.process = process
    }

    /// Starts (or finds) a server and configures it.
    /// - Throws: ``Unavailable`` when moto is not installed; an error when it does not come up.
    public static func start() throws -> MotoServer {
        if let given = ProcessInfo.processInfo.environment["SHIFT_TEST_MOTO_ENDPOINT"], let url = URL(string: given) {
            let server = MotoServer(endpoint: url, process: nil)
            try server.configure()
            return server
        }
        // `python3 -m moto.server` works wherever pip put the package, on PATH or not.
        guard let python = findExecutable("python3"), isModuleInstalled("moto.server", python: python) else {
            throw Unavailable()
        }
        var lastError: Error?
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = MotoServer(endpoint: URL(string: "http://127.0.0.1:\(port)")!, process: process)
            do {
                try server.waitUntilReady()
                try server.configure()
                return server
            } catch {
                lastError = error
                server.stop()
            }
        }
        throw lastError ?? NSError(domain: "MotoServer", code: 1)
    }

    nonisolated(unsafe) private static var sharedServer: Result<(server: MotoServer, role: String), Error>?
    private static let sharedLock = NSLock()

    /// One server and execution role for every test of the process, started on first use and stopped when the
    /// process exits (all test targets run in one process, so this is one server per `make test`).
    /// - Throws: ``Unavailable`` when moto is not installed (every caller then skips); start-up errors.
    public static func shared() throws -> (server: MotoServer, role: String) {
        try sharedLock.withLock {
            if sharedServer == nil {
                sharedServer = Result {
                    let server = try start()
                    atexit { MotoServer.stopShared() }
                    return (server, try server.executionRole())
                }
            }
            return try sharedServer!.get()
        }
    }

    private static func stopShared() {
        if case let .success(shared)? = sharedServer { shared.server.stop() }
    }

    /// moto is neither running for the tests nor installed.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "moto_server is not installed (pip install 'moto[server]'), and SHIFT_TEST_MOTO_ENDPOINT is not set" }
    }

    /// Stops the server this object started; a server from `.ci/run` is left running.
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if process?.isRunning == false { throw NSError(domain: "MotoServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "moto_server exited"]) }
            if (try? request("GET", "/moto-api/data.json")) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw NSError(domain: "MotoServer", code: 3, userInfo: [NSLocalizedDescriptionKey: "moto_server did not answer within 20 s"])
    }

    private func configure() throws {
        _ = try request("POST", "/moto-api/config", body: #"{"lambda": {"use_docker": false}}"#)
    }

    /// A plain, unsigned request to moto's own API; the body of a 2xx answer.
    @discardableResult
    public func request(_ method: String, _ path: String, body: String? = nil) throws -> Data {
        var request = URLRequest(url: endpoint.appendingPathComponent(path), timeoutInterval: 5)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Data, Error> = .failure(URLError(.unknown))
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let status = (response as? HTTPURLResponse)?.statusCode, (200...299).contains(status) {
                result = .success(data ?? Data())
            } else {
                result = .failure(URLError(.badServerResponse))
            }
            semaphore.signal()
        }.resume()
        semaphore.wait()
        return try result.get()
    }

    /// Runs a boto3 script as an independent second client (the "someone else" of the tests), with `ENDPOINT`
    /// and `REGION` defined; returns its stdout.
    /// - Throws: when python3 fails, with its stderr.
    @discardableResult
    public func boto3(_ script: String) throws -> String {
        let preamble = """
        import boto3, json, sys
        ENDPOINT = "\(endpoint.absoluteString)"
        REGION = "\(Self.region)"
        def client(name): return boto3.client(name, endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id="AKIAMOTOSECONDCLIENT", aws_secret_access_key="x")

        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", preamble + script]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "boto3", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: String(decoding: err, as: UTF8.self)])
        }
        return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes moto check every request's credentials and IAM policies (`checked`), or accept any again: moto's
    /// `/moto-api/reset-auth` (INITIAL_NO_AUTH_ACTION_COUNT 0, or infinity, its default). Tests that check must
    /// switch it back, however they end (`defer`): the server is shared by every test of the process.
    /// - Throws: when python3 fails, with its stderr.
    public func setAuthentication(checked: Bool) throws {
        try boto3("""
            import urllib.request
            urllib.request.urlopen(urllib.request.Request(ENDPOINT + '/moto-api/reset-auth', data=b'\(checked ? "0" : "inf")', headers={'Content-Type': 'text/plain'}, method='POST'))
            """)
    }

    /// The ARN of an IAM role moto accepts for CreateFunction, created once per server.
    public func executionRole() throws -> String {
        try boto3("""
        iam = client("iam")
        try:
            print(iam.create_role(RoleName="shift-test-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"])
        except iam.exceptions.EntityAlreadyExistsException:
            print(iam.get_role(RoleName="shift-test-role")["Role"]["Arn"])
        """)
    }

    static func isModuleInstalled(_ module: String, python: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module), boto3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
