import Crypto
import Foundation
import ShiftCore

/// The AWS platform: Lambda versions, aliases and invocations, and CloudWatch alarms, for one account.
///
/// It conforms to the engine's protocols, so `shift deploy` drives real aliases exactly as it drives local ones.
/// Every call goes through ``AWSServiceClient``: signed with SigV4, retried on throttling and 5xx, and every
/// retry noted in ``retryLog`` so the deployment's event log can show it.
public struct AWSPlatform: FunctionCatalog, AlarmSource {
    public let lambda: LambdaClient
    public let cloudWatch: CloudWatchClient
    public let ssm: SSMClient
    /// S3, for the account's shared state.
    public let s3: S3Client
    /// Who the account's credentials are (approvals on shared state record it).
    public let sts: STSClient
    /// The region every call goes to.
    public let region: String
    /// The retries of every call this platform made.
    public let retryLog: RetryLog
    /// The account's settings: the role and runtime of the functions it creates.
    public let settings: AccountSettings
    let clock: any Clock

    /// The platform for an account's settings, resolving credentials, region and endpoints through the standard
    /// chain over `environment`; without a `transport`, requests go through async-http-client and the proxies
    /// `environment` names (``ProxySettings``).
    /// - Throws: `AWSPlatformError` when credentials, the region, an endpoint or a proxy cannot be resolved.
    public init(
        settings: AccountSettings, environment: [String: String], transport: (any HTTPTransport)? = nil,
        clock: any Clock = SystemClock(), retryPolicy: RetryPolicy = .standard,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) throws {
        let chain = CredentialsChain(environment: environment, profile: settings.profile)
        let credentials = try chain.resolveCredentials()
        let region = try chain.resolveRegion(override: settings.region)
        let log = RetryLog()
        let transport: any HTTPTransport = try transport ?? AsyncHTTPClientTransport(proxies: ProxySettings(environment: environment))
        func client(_ service: AWSService) throws -> AWSServiceClient {
            AWSServiceClient(
                service: service,
                endpoint: try chain.resolveEndpoint(serviceID: service.serviceID, endpointPrefix: service.endpointPrefix, region: region, override: settings.endpointURL),
                credentials: credentials, region: region, transport: transport, clock: clock,
                retryPolicy: retryPolicy, retryLog: log, random: random)
        }
        self.lambda = LambdaClient(client: try client(.lambda))
        self.cloudWatch = CloudWatchClient(client: try client(.cloudWatch))
        self.ssm = SSMClient(client: try client(.ssm))
        self.s3 = S3Client(client: try client(.s3))
        self.sts = STSClient(client: try client(.sts))
        self.region = region
        self.retryLog = log
        self.settings = settings
        self.clock = clock
    }

    // MARK: FunctionPlatform

    public func version(_ number: Int, of function: String) async throws -> FunctionVersion {
        let configuration = try await lambda.getFunctionConfiguration(function, qualifier: String(number))
        return try Self.functionVersion(configuration)
    }

    public func alias(_ name: String, of function: String) async throws -> Alias {
        try Self.alias(try await lambda.getAlias(name, of: function), function: function, at: clock.now)
    }

    public func updateAlias(_ name: String, of function: String, routing: AliasRouting, revisionId: String?) async throws -> Alias {
        do {
            return try Self.alias(try await lambda.updateAlias(name, of: function, routing: routing, revisionId: revisionId), function: function, at: clock.now)
        } catch let AWSPlatformError.service(_, _, _, code, _, attempts) where code == "PreconditionFailedException" && attempts > 1 {
            // An earlier attempt may have been applied with its answer lost, which moved the revision on: if the
            // alias routes as asked, that was this update, not someone else's.
            let current = try await alias(name, of: function)
            guard current.routing == routing else { throw AWSPlatformError.service(service: "Lambda", operation: "UpdateAlias", status: 412, code: code, message: "the alias changed since revision \(revisionId ?? "-"); it now routes \(current.routing)", attempts: attempts) }
            return current
        }
    }

    public func checkInvocable(_ function: String, qualifier: FunctionQualifier) async throws {
        switch qualifier {
        case .alias(let name): _ = try await lambda.getAlias(name, of: function)
        case .latest, .version: _ = try await lambda.getFunctionConfiguration(function, qualifier: qualifier.description)
        }
    }

    public func invoke(_ function: String, qualifier: FunctionQualifier, payload: Data) async throws -> InvocationResult {
        try InvocationPayload.validate(payload)
        let started = clock.now
        let response = try await lambda.invoke(function, qualifier: qualifier.description, payload: payload)
        let executed: String
        if let version = response.executedVersion {
            executed = version
        } else if case let .version(number) = qualifier {
            executed = String(number)
        } else {
            // moto without Docker sends no X-Amz-Executed-Version; real Lambda always does.
            executed = qualifier == .latest ? "$LATEST" : "unknown"
        }
        return InvocationResult(
            executedVersion: executed, payload: response.payload, functionError: response.functionError,
            duration: clock.now.timeIntervalSince(started), logTail: response.logTail)
    }

    public func drainNotices() -> [String] {
        retryLog.drain().map(\.summary)
    }

    // MARK: AlarmSource

    public func alarmStates(named names: [String]) async throws -> [String: AlarmState] {
        let states = try await existingAlarmStates(named: names)
        if let missing = names.first(where: { states[$0] == nil }) {
            throw ShiftCoreError.notFound(kind: "CloudWatch alarm", name: missing, hint: "check its name and the account's region (\(region))")
        }
        return states
    }

    /// DescribeAlarms, `alarmNamesPerRead` names a call; names CloudWatch does not know are absent.
    public func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState] {
        let alarms = try await cloudWatch.describeAlarms(named: names, batchSize: alarmNamesPerRead)
        return Dictionary(alarms.map { ($0.name, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    /// DescribeAlarms takes at most 100 names (its `AlarmNames` member).
    public var alarmNamesPerRead: Int { 100 }

    // MARK: Publishing

    /// Publishes `$LATEST`; when its code and configuration match the newest version, Lambda returns that version.
    /// - Returns: the version, and whether it is new.
    public func publish(_ function: String, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        try await publish(function, description: description, codeSHA256: nil)
    }

    /// Publishes `$LATEST`; with `codeSHA256` (what an upload just returned), Lambda refuses to publish other code,
    /// so an upload by someone else in between is not what gets deployed.
    public func publish(_ function: String, description: String, codeSHA256: String?) async throws -> (version: FunctionVersion, isNew: Bool) {
        let before = try await latestVersionNumber(of: function)
        let published = try Self.functionVersion(try await lambda.publishVersion(function, description: description, codeSHA256: codeSHA256))
        return (published, published.number != before)
    }

    /// UpdateFunctionCode (and UpdateFunctionConfiguration when `change` sets any), then PublishVersion with the
    /// CodeSha256 the upload returned: Lambda refuses to publish if `$LATEST` holds other code by then. The version's
    /// CodeSha256 is checked against the zip that was sent.
    /// - Throws: `AWSPlatformError.codeMismatch` when the version holds other bytes; Lambda's errors.
    public func publish(_ function: String, applying change: FunctionChange, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        let zip = try change.codePath.map(Self.codeArchive(at:))
        let uploaded = try await updateFunction(function, zip: zip, change: change)
        guard let zip else { return try await publish(function, description: description, codeSHA256: uploaded.CodeSha256) }
        return try await publish(function, description: description, uploaded: zip)
    }

    /// PublishVersion of exactly `zip`, just uploaded (by CreateFunction or UpdateFunctionCode): Lambda refuses if
    /// `$LATEST` holds other code, and the version's CodeSha256 is checked against the zip's.
    /// - Throws: `AWSPlatformError.codeMismatch`; Lambda's errors.
    public func publish(_ function: String, description: String, uploaded zip: Data) async throws -> (version: FunctionVersion, isNew: Bool) {
        let sent = Self.codeSHA256(of: zip)
        let published = try await publish(function, description: description, codeSHA256: sent)
        guard published.version.codeSHA256 == sent else {
            throw AWSPlatformError.codeMismatch(function: function, version: published.version.number, published: published.version.codeSHA256, sent: sent)
        }
        return published
    }

    /// Lambda's CodeSha256: the base64 SHA-256 of the deployment package.
    public static func codeSHA256(of zip: Data) -> String {
        Data(SHA256.hash(data: zip)).base64EncodedString()
    }

    /// CloudWatch's DescribeAlarms is throttled per account: poll every 10 seconds, as CodeDeploy does.
    public var defaultPollInterval: TimeInterval { 10 }

    /// How long a change to `$LATEST` may take to apply before shift gives up waiting.
    static let updateWait: TimeInterval = 300

    /// Waits until Lambda has applied the last change to `$LATEST` (`State` no longer `Pending`,
    /// `LastUpdateStatus` no longer `InProgress`): until then Lambda refuses the next update or a publish with
    /// `ResourceConflictException`.
    /// - Throws: `AWSPlatformError.functionUpdateFailed` when the change failed or did not finish in time.
    func waitUntilApplied(_ wire: LambdaWire.FunctionConfiguration) async throws -> LambdaWire.FunctionConfiguration {
        var current = wire
        let deadline = clock.now.addingTimeInterval(Self.updateWait)
        while current.State == "Pending" || current.LastUpdateStatus == "InProgress" {
            guard clock.now < deadline else {
                throw AWSPlatformError.functionUpdateFailed(function: wire.FunctionName, reason: "still \(current.LastUpdateStatus ?? current.State ?? "updating") after \(Int(Self.updateWait)) s")
            }
            try await clock.sleep(for: 1)
            current = try await lambda.getFunctionConfiguration(wire.FunctionName)
        }
        if current.State == "Failed" || current.LastUpdateStatus == "Failed" {
            throw AWSPlatformError.functionUpdateFailed(function: wire.FunctionName, reason: current.LastUpdateStatusReason ?? current.StateReason ?? "Lambda reports Failed")
        }
        return current
    }

    // MARK: Functions

    /// The code to upload: a `.zip` file as it is, a directory zipped (deterministically).
    /// - Throws: `AWSPlatformError.unreadableCode`.
    public static func codeArchive(at url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw AWSPlatformError.unreadableCode(path: url.path, detail: "no such file or directory")
        }
        if isDirectory.boolValue { return try ZipArchive.archive(directory: url) }
        guard url.pathExtension.lowercased() == "zip", let data = FileManager.default.contents(atPath: url.path) else {
            throw AWSPlatformError.unreadableCode(path: url.path, detail: "not a directory or a readable .zip file")
        }
        return data
    }

    /// CreateFunction from a zip archive, then waits until Lambda has applied it.
    /// - Throws: `AWSPlatformError.unsupported` for `{{param:...}}` variables; `.functionUpdateFailed`; Lambda's errors.
    public func createFunction(_ name: String, zip: Data, configuration: FunctionConfiguration, role: String, runtime: String?) async throws -> LambdaWire.FunctionConfiguration {
        try Self.refuseParameterReferences(in: configuration.environment)
        return try await waitUntilApplied(try await lambda.createFunction(
            name, zip: zip, handler: configuration.handler, runtime: runtime ?? "provided.al2023",
            role: role, timeout: Int(configuration.timeout), environment: configuration.environment, description: configuration.description))
    }

    /// UpdateFunctionCode with `zip` (when given) and UpdateFunctionConfiguration with `change` (when it changes
    /// any); `change.codePath` is ignored. Each waits until Lambda has applied it.
    /// - Throws: `AWSPlatformError.functionUpdateFailed`; validation errors before any call; Lambda's errors.
    public func updateFunction(_ name: String, zip: Data?, change: FunctionChange) async throws -> LambdaWire.FunctionConfiguration {
        try Self.refuseParameterReferences(in: change.environment ?? [:])
        try Self.refuseReservedConcurrency(change.reservedConcurrency, removes: change.removesReservedConcurrency)
        // The rules Lambda would apply (timeout 1 to 900 s, a handler, variable names), before any call.
        // The placeholder has the MODULE.FUNCTION shape, so that a change of runtime alone passes.
        _ = try change.applied(to: FunctionConfiguration(handler: "unchanged.handler"))
        var latest: LambdaWire.FunctionConfiguration?
        if let zip {
            latest = try await waitUntilApplied(try await lambda.updateFunctionCode(name, zip: zip))
        }
        if change.handler != nil || change.runtime != nil || change.timeout != nil || change.environment != nil || change.description != nil {
            latest = try await waitUntilApplied(try await lambda.updateFunctionConfiguration(
                name, handler: change.handler, runtime: change.runtime, timeout: change.timeout.map { Int($0) }, environment: change.environment, description: change.description))
        }
        if let latest { return latest }
        return try await lambda.getFunctionConfiguration(name)
    }

    /// Lambda cannot resolve `{{param:/path}}` at each invocation as the local platform does, and shift will not
    /// copy a secret into a function's configuration, where anyone who can read it sees it.
    /// - Throws: `AWSPlatformError.unsupported` naming the first variable that references a parameter.
    public static func refuseParameterReferences(in environment: [String: String]) throws {
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where try !ParameterReference.names(in: value).isEmpty {
            throw AWSPlatformError.unsupported(
                operation: "--env \(key)={{param:...}} on an AWS account",
                hint: "read the parameter from SSM in the function's code (its name in a plain variable), or use a local account")
        }
    }

    /// Lambda keeps reserved concurrency apart from the function's configuration (PutFunctionConcurrency), and
    /// versions do not snapshot it; shift does not pretend otherwise.
    /// - Throws: `AWSPlatformError.unsupported` when a reserved concurrency is given.
    public static func refuseReservedConcurrency(_ value: Int?, removes: Bool) throws {
        guard value != nil || removes else { return }
        throw AWSPlatformError.unsupported(
            operation: "--reserved-concurrency on an AWS account",
            hint: "set it with 'aws lambda put-function-concurrency' (it applies to every version at once)")
    }

    // MARK: Aliases

    public func aliases(of function: String) async throws -> [Alias] {
        let now = clock.now
        // Aliases at $LATEST are not shift's to shift (only published versions are); they are left out.
        return try await lambda.listAliases(of: function)
            .filter { Int($0.FunctionVersion) != nil }
            .map { try Self.alias($0, function: function, at: now) }
            .sorted { $0.name < $1.name }
    }

    public func createAlias(_ name: String, of function: String, routing: AliasRouting, description: String) async throws -> Alias {
        try Self.alias(try await lambda.createAlias(name, of: function, routing: routing, description: description), function: function, at: clock.now)
    }

    public func updateAlias(_ name: String, of function: String, routing: AliasRouting?, description: String?, revisionId: String?) async throws -> Alias {
        try Self.alias(
            try await lambda.updateAlias(name, of: function, routing: routing, description: description, revisionId: revisionId),
            function: function, at: clock.now)
    }

    public func deleteAlias(_ name: String, of function: String, isBusy: @Sendable () throws -> String?) async throws {
        if let busy = try isBusy() {
            throw ShiftCoreError.refused(reason: "alias \(function):\(name) is in use (\(busy)); wait for it to finish or stop it first")
        }
        try await lambda.deleteAlias(name, of: function)
    }

    /// The newest published version's number, or 0 when none is published.
    public func latestVersionNumber(of function: String) async throws -> Int {
        try await lambda.listVersions(function).compactMap { $0.Version.flatMap(Int.init) }.max() ?? 0
    }

    /// Every published version, oldest first.
    public func versions(of function: String) async throws -> [FunctionVersion] {
        try await lambda.listVersions(function)
            .filter { $0.Version.flatMap(Int.init) != nil }
            .map(Self.functionVersion)
            .sorted { $0.number < $1.number }
    }

    // MARK: Mapping

    /// A published version from Lambda's FunctionConfiguration.
    /// - Throws: `AWSPlatformError.malformedResponse` when it is `$LATEST` or lacks what a version has.
    static func functionVersion(_ wire: LambdaWire.FunctionConfiguration) throws -> FunctionVersion {
        guard let number = wire.Version.flatMap(Int.init) else {
            throw AWSPlatformError.malformedResponse(service: "Lambda", operation: "FunctionConfiguration", detail: "version '\(wire.Version ?? "")' is not a published version")
        }
        let handler = (wire.Handler ?? "").isEmpty ? "(container image)" : wire.Handler!
        let configuration = try FunctionConfiguration(
            handler: handler, timeout: TimeInterval(wire.Timeout ?? 3),
            environment: wire.Environment?.Variables ?? [:], description: wire.Description ?? "")
        return FunctionVersion(
            number: number, codeSHA256: wire.CodeSha256 ?? "", configuration: configuration,
            description: wire.Description ?? "", publishedAt: wire.LastModified.flatMap(LambdaTimestamp.parse) ?? Date(timeIntervalSince1970: 0))
    }

    /// An alias from Lambda's AliasConfiguration; `readAt` stands in for the update time Lambda does not report.
    /// - Throws: `AWSPlatformError.malformedResponse` for versions that are not numbers or weights out of range.
    static func alias(_ wire: LambdaWire.AliasConfiguration, function: String, at readAt: Date) throws -> Alias {
        guard let primary = Int(wire.FunctionVersion) else {
            throw AWSPlatformError.unsupported(
                operation: "alias \(function):\(wire.Name) at '\(wire.FunctionVersion)'",
                hint: "shift works with aliases on published versions; point it at one with 'shift alias update \(function) \(wire.Name) --version N'")
        }
        var additional: AliasRouting.AdditionalVersion?
        if let (version, weight) = wire.RoutingConfig?.AdditionalVersionWeights?.first {
            guard let number = Int(version) else {
                throw AWSPlatformError.malformedResponse(service: "Lambda", operation: "GetAlias", detail: "additional version '\(version)' is not a number")
            }
            additional = AliasRouting.AdditionalVersion(version: number, weight: try Weight(weight))
        }
        return Alias(
            functionName: function, name: wire.Name, routing: try AliasRouting(primaryVersion: primary, additionalVersion: additional),
            revisionId: wire.RevisionId ?? "", description: wire.Description ?? "", updatedAt: readAt, arn: wire.AliasArn)
    }
}
