import Foundation
import ShiftCore

/// The Lambda calls shift makes, on the REST-JSON API (`/2015-03-31/functions/...`).
///
/// Each method is one API operation with Lambda's own name; answers keep Lambda's shapes (``LambdaWire``), and
/// ``AWSPlatform`` turns them into shift's domain values.
public struct LambdaClient: Sendable {
    public let client: AWSServiceClient

    /// A client that sends through `client` (whose service is Lambda).
    public init(client: AWSServiceClient) {
        self.client = client
    }

    private static let apiVersion = "/2015-03-31"

    private func functionPath(_ name: String, _ suffix: String = "") -> String {
        "\(Self.apiVersion)/functions/\(SigV4Signer.uriEncode(name))\(suffix)"
    }

    private func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static let jsonHeaders = ["Content-Type": "application/json"]

    // MARK: Functions and versions

    /// GetFunctionConfiguration of `$LATEST` or a qualifier.
    public func getFunctionConfiguration(_ name: String, qualifier: String? = nil) async throws -> LambdaWire.FunctionConfiguration {
        try await client.sendJSON(
            LambdaWire.FunctionConfiguration.self, operation: "GetFunctionConfiguration", method: "GET",
            path: functionPath(name, "/configuration"), query: qualifier.map { [("Qualifier", $0)] } ?? [])
    }

    /// ListFunctions, every page.
    public func listFunctions() async throws -> [LambdaWire.FunctionConfiguration] {
        try await paged(operation: "ListFunctions", path: "\(Self.apiVersion)/functions/") { $0.Functions }
    }

    /// ListVersionsByFunction, every page, `$LATEST` included as Lambda lists it.
    public func listVersions(_ name: String) async throws -> [LambdaWire.FunctionConfiguration] {
        try await paged(operation: "ListVersionsByFunction", path: functionPath(name, "/versions")) { $0.Versions }
    }

    /// CreateFunction from a zip archive.
    public func createFunction(
        _ name: String, zip: Data, handler: String, runtime: String, role: String, timeout: Int,
        environment: [String: String], description: String
    ) async throws -> LambdaWire.FunctionConfiguration {
        let body = try json([
            "FunctionName": name, "Runtime": runtime, "Role": role, "Handler": handler, "Timeout": timeout,
            "Description": description, "Code": ["ZipFile": zip.base64EncodedString()],
            "Environment": ["Variables": environment], "Publish": false,
        ])
        return try await client.sendJSON(
            LambdaWire.FunctionConfiguration.self, operation: "CreateFunction", method: "POST",
            path: "\(Self.apiVersion)/functions", headers: Self.jsonHeaders, body: body, retriesUnanswered: false)
    }

    /// UpdateFunctionCode with a zip archive.
    public func updateFunctionCode(_ name: String, zip: Data) async throws -> LambdaWire.FunctionConfiguration {
        try await client.sendJSON(
            LambdaWire.FunctionConfiguration.self, operation: "UpdateFunctionCode", method: "PUT",
            path: functionPath(name, "/code"), headers: Self.jsonHeaders, body: json(["ZipFile": zip.base64EncodedString()]))
    }

    /// UpdateFunctionConfiguration: only the fields given change.
    public func updateFunctionConfiguration(
        _ name: String, handler: String?, runtime: String? = nil, timeout: Int?, environment: [String: String]?, description: String?
    ) async throws -> LambdaWire.FunctionConfiguration {
        var fields: [String: Any] = [:]
        if let handler { fields["Handler"] = handler }
        if let runtime { fields["Runtime"] = runtime }
        if let timeout { fields["Timeout"] = timeout }
        if let environment { fields["Environment"] = ["Variables": environment] }
        if let description { fields["Description"] = description }
        return try await client.sendJSON(
            LambdaWire.FunctionConfiguration.self, operation: "UpdateFunctionConfiguration", method: "PUT",
            path: functionPath(name, "/configuration"), headers: Self.jsonHeaders, body: json(fields))
    }

    /// DeleteFunction, every version with it.
    public func deleteFunction(_ name: String) async throws {
        _ = try await client.send(operation: "DeleteFunction", method: "DELETE", path: functionPath(name))
    }

    /// PublishVersion. Lambda itself returns the latest version when code and configuration are unchanged.
    public func publishVersion(_ name: String, description: String, codeSHA256: String? = nil) async throws -> LambdaWire.FunctionConfiguration {
        var fields: [String: Any] = ["Description": description]
        if let codeSHA256 { fields["CodeSha256"] = codeSHA256 }
        return try await client.sendJSON(
            LambdaWire.FunctionConfiguration.self, operation: "PublishVersion", method: "POST",
            path: functionPath(name, "/versions"), headers: Self.jsonHeaders, body: json(fields))
    }

    // MARK: Aliases

    /// GetAlias.
    public func getAlias(_ alias: String, of function: String) async throws -> LambdaWire.AliasConfiguration {
        try await client.sendJSON(
            LambdaWire.AliasConfiguration.self, operation: "GetAlias", method: "GET",
            path: functionPath(function, "/aliases/\(SigV4Signer.uriEncode(alias))"))
    }

    /// ListAliases, every page.
    public func listAliases(of function: String) async throws -> [LambdaWire.AliasConfiguration] {
        var aliases: [LambdaWire.AliasConfiguration] = []
        var marker: String?
        repeat {
            let page = try await client.sendJSON(
                LambdaWire.AliasList.self, operation: "ListAliases", method: "GET",
                path: functionPath(function, "/aliases"), query: marker.map { [("Marker", $0)] } ?? [])
            aliases += page.Aliases ?? []
            marker = page.NextMarker.flatMap { $0.isEmpty ? nil : $0 }
        } while marker != nil
        return aliases
    }

    /// CreateAlias.
    public func createAlias(_ alias: String, of function: String, routing: AliasRouting, description: String) async throws -> LambdaWire.AliasConfiguration {
        var fields = Self.routingFields(routing)
        fields["Name"] = alias
        fields["Description"] = description
        return try await client.sendJSON(
            LambdaWire.AliasConfiguration.self, operation: "CreateAlias", method: "POST",
            path: functionPath(function, "/aliases"), headers: Self.jsonHeaders, body: json(fields), retriesUnanswered: false)
    }

    /// UpdateAlias. With `revisionId`, Lambda refuses the change (PreconditionFailedException) if the alias moved.
    public func updateAlias(
        _ alias: String, of function: String, routing: AliasRouting?, description: String? = nil, revisionId: String?
    ) async throws -> LambdaWire.AliasConfiguration {
        var fields = routing.map(Self.routingFields) ?? [:]
        if let description { fields["Description"] = description }
        if let revisionId { fields["RevisionId"] = revisionId }
        return try await client.sendJSON(
            LambdaWire.AliasConfiguration.self, operation: "UpdateAlias", method: "PUT",
            path: functionPath(function, "/aliases/\(SigV4Signer.uriEncode(alias))"), headers: Self.jsonHeaders, body: json(fields))
    }

    /// DeleteAlias.
    public func deleteAlias(_ alias: String, of function: String) async throws {
        _ = try await client.send(operation: "DeleteAlias", method: "DELETE", path: functionPath(function, "/aliases/\(SigV4Signer.uriEncode(alias))"))
    }

    /// `FunctionVersion` and `RoutingConfig` for a routing. An empty `AdditionalVersionWeights` clears the
    /// additional version, as the Lambda console does.
    static func routingFields(_ routing: AliasRouting) -> [String: Any] {
        var weights: [String: Double] = [:]
        if let additional = routing.additionalVersion { weights[String(additional.version)] = additional.weight.value }
        return ["FunctionVersion": String(routing.primaryVersion), "RoutingConfig": ["AdditionalVersionWeights": weights]]
    }

    // MARK: Invocation

    /// The answer of a synchronous Invoke.
    public struct InvokeResponse: Sendable {
        /// What the function returned (or its error document).
        public var payload: Data
        /// `Handled` or `Unhandled` when the function failed.
        public var functionError: String?
        /// `X-Amz-Executed-Version`: which version ran. moto without Docker does not send it.
        public var executedVersion: String?
        /// The tail of the function's log (`X-Amz-Log-Result`, decoded).
        public var logTail: String
    }

    /// How long an Invoke may wait for its answer: Lambda's longest timeout, 900 s, and a margin.
    static let invokeTimeout: TimeInterval = 960

    /// Invoke, synchronously (`RequestResponse`), with the last 4 KB of log.
    ///
    /// The wait is as long as the longest function may run, and a request that got no answer is not sent again:
    /// it may have run, and a second run is not shift's to decide. Throttling and 5xx answers are retried, as
    /// the function did not run.
    public func invoke(_ function: String, qualifier: String?, payload: Data) async throws -> InvokeResponse {
        let response = try await client.send(
            operation: "Invoke", method: "POST", path: functionPath(function, "/invocations"),
            query: qualifier.map { [("Qualifier", $0)] } ?? [],
            headers: ["X-Amz-Invocation-Type": "RequestResponse", "X-Amz-Log-Type": "Tail", "Content-Type": "application/json"],
            body: payload, timeout: Self.invokeTimeout, retriesUnanswered: false)
        let log = response.header("X-Amz-Log-Result").flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return InvokeResponse(
            payload: response.body, functionError: response.header("X-Amz-Function-Error"),
            executedVersion: response.header("X-Amz-Executed-Version"), logTail: log)
    }

    // MARK: Paging

    private func paged(
        operation: String, path: String, items: (LambdaWire.FunctionList) -> [LambdaWire.FunctionConfiguration]?
    ) async throws -> [LambdaWire.FunctionConfiguration] {
        var all: [LambdaWire.FunctionConfiguration] = []
        var marker: String?
        repeat {
            let page = try await client.sendJSON(
                LambdaWire.FunctionList.self, operation: operation, method: "GET", path: path,
                query: marker.map { [("Marker", $0)] } ?? [])
            all += items(page) ?? []
            marker = page.NextMarker.flatMap { $0.isEmpty ? nil : $0 }
        } while marker != nil
        return all
    }
}
