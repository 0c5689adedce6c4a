/// The ARNs of a local account's resources: AWS's format with a fixed partition, region and account id, so that
/// `--output json` has the same shape on both platforms and a local ARN is never mistaken for a real one.
///
/// `arn:aws:ssm:local:000000000000:parameter/orders/prod/db-url`
public enum LocalARN {
    /// The partition of every local ARN.
    public static let partition = "aws"
    /// The region of every local ARN: no AWS region is called `local`.
    public static let region = "local"
    /// The account id of every local ARN, whatever the shift account's name.
    public static let accountId = "000000000000"

    /// `arn:aws:SERVICE:local:000000000000:RESOURCE`.
    public static func arn(service: String, resource: String) -> String {
        "arn:\(partition):\(service):\(region):\(accountId):\(resource)"
    }
}
