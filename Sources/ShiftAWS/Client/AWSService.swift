/// What identifies one AWS service to shift: its names for signing, endpoints and messages, and its protocol.
public struct AWSService: Sendable, Equatable {
    /// The name in messages: `Lambda`, `CloudWatch`, `SSM`.
    public let name: String
    /// The SigV4 signing name: `lambda`, `monitoring`, `ssm`.
    public let signingName: String
    /// The host prefix of the public endpoint.
    public let endpointPrefix: String
    /// The SDK service ID whose `AWS_ENDPOINT_URL_<ID>` overrides the endpoint.
    public let serviceID: String
    /// How requests and errors are encoded.
    public let wireProtocol: AWSProtocol

    /// Lambda's REST-JSON API, `/2015-03-31/functions/...`.
    public static let lambda = AWSService(name: "Lambda", signingName: "lambda", endpointPrefix: "lambda", serviceID: "Lambda", wireProtocol: .restJSON)
    /// CloudWatch's JSON 1.0 API (version 2010-08-01), target prefix `GraniteServiceVersion20100801`.
    public static let cloudWatch = AWSService(
        name: "CloudWatch", signingName: "monitoring", endpointPrefix: "monitoring", serviceID: "CloudWatch",
        wireProtocol: .json(version: "1.0", targetPrefix: "GraniteServiceVersion20100801"))
    /// SSM's JSON 1.1 API, target prefix `AmazonSSM`.
    public static let ssm = AWSService(
        name: "SSM", signingName: "ssm", endpointPrefix: "ssm", serviceID: "SSM", wireProtocol: .json(version: "1.1", targetPrefix: "AmazonSSM"))
    /// S3's REST-XML API, path-style (`/BUCKET/KEY`), so a moto server or any endpoint override works.
    public static let s3 = AWSService(name: "S3", signingName: "s3", endpointPrefix: "s3", serviceID: "S3", wireProtocol: .restXML)
    /// STS's Query API (version 2011-06-15): who the credentials are.
    public static let sts = AWSService(name: "STS", signingName: "sts", endpointPrefix: "sts", serviceID: "STS", wireProtocol: .query(version: "2011-06-15"))
}
