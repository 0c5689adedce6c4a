import Foundation

/// Who holds a shared lease, as its object says: enough for a refused deployer to name the holder, and for a
/// human to decide whether to break it.
public struct LeaseHolder: Codable, Equatable, Sendable {
    /// The holder's host name.
    public var host: String
    /// The holder's process id on that host.
    public var pid: Int32
    /// The deployment the lease is held for, when the holder said.
    public var deploymentId: String?
    /// When the holder took the lease.
    public var acquiredAt: Date
    /// When the lease lapses unless renewed.
    public var expiresAt: Date
    /// Unique to one taking of the lease: two holders never write the same bytes, so S3's ETags (an MD5 of the
    /// bytes) of two holders' objects always differ, and a write's retry can recognise its own object.
    public var token: String

    public init(host: String, pid: Int32, deploymentId: String?, acquiredAt: Date, expiresAt: Date, token: String) {
        self.host = host
        self.pid = pid
        self.deploymentId = deploymentId
        self.acquiredAt = acquiredAt
        self.expiresAt = expiresAt
        self.token = token
    }

    /// "host ci-7, pid 4242, deployment d-1, since 2026-01-02T03:04:05Z, lease until 2026-01-02T03:05:05Z".
    public var summary: String {
        "host \(host), pid \(pid)\(deploymentId.map { ", deployment \($0)" } ?? ""), since \(Timestamp.format(acquiredAt)), lease until \(Timestamp.format(expiresAt))"
    }
}
