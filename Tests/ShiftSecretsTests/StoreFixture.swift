import Foundation
import ShiftCore
import ShiftSecrets
import ShiftStorage
import ShiftTestSupport

/// A store in a fresh temporary state directory with a pinned clock.
struct StoreFixture {
    let temporary: TemporaryDirectory
    let clock: ManualClock
    let directory: StateDirectory
    let store: ParameterStore

    init(masterKey: MasterKey = .generate(), account: String = "acme") throws {
        temporary = try TemporaryDirectory("shift-secrets")
        clock = ManualClock()
        directory = try StateDirectory(root: temporary.url, account: account)
        store = ParameterStore(directory: directory, masterKey: masterKey, clock: clock)
    }

    /// The same state directory opened with another master key.
    func store(with key: MasterKey) -> ParameterStore {
        ParameterStore(directory: directory, masterKey: key, clock: clock)
    }

    /// The parameter file as JSON, for tests that tamper with it.
    func json(of name: ParameterName) throws -> [String: Any] {
        let data = try Data(contentsOf: store.file(for: name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func writeJSON(_ object: [String: Any], of name: ParameterName) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: store.file(for: name))
    }

    /// The base64 sealed value of `version` (1-based position) in the file of `name`.
    func sealedValue(of name: ParameterName, version: Int) throws -> String {
        let versions = try json(of: name)["versions"] as! [[String: Any]]
        return versions[version - 1]["sealedValue"] as! String
    }

    func replaceSealedValue(of name: ParameterName, version: Int, with sealed: String) throws {
        var object = try json(of: name)
        var versions = object["versions"] as! [[String: Any]]
        versions[version - 1]["sealedValue"] = sealed
        object["versions"] = versions
        try writeJSON(object, of: name)
    }

    func remove() { temporary.remove() }
}

func named(_ text: String) -> ParameterName { try! ParameterName(text) }

/// The error's one-line description.
func message(_ error: Error) -> String { (error as? LocalizedError)?.errorDescription ?? "\(error)" }
