import Foundation
import ShiftCore

/// The local parameter store as a ``ParameterCatalog``: each operation opens the store (loading the master key) first,
/// so a missing key is the error of the operation that needed it.
extension LazyParameterStore: ParameterCatalog {
    public func putParameter(_ name: ParameterName, value: String, type: ParameterType, description: String?, overwrite: Bool) async throws -> Int {
        try open().put(name, value: value, type: type, description: description, overwrite: overwrite)
    }

    public func getParameter(_ name: ParameterName, selector: ParameterSelector?, decrypt: Bool) async throws -> Parameter {
        try open().get(name, selector: selector, decrypt: decrypt)
    }

    /// - Throws: as ``ParameterStore/list(path:recursive:skippingUnreadable:)``; an unreadable file is skipped, not thrown.
    public func describeParameters(path: String?, recursive: Bool) async throws -> ParameterListing {
        var skipped: [String] = []
        let parameters = try open().list(path: path, recursive: recursive) { error in
            skipped.append((error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        return ParameterListing(parameters: parameters, skipped: skipped)
    }

    public func getParameterHistory(_ name: ParameterName, decrypt: Bool) async throws -> [ParameterHistoryEntry] {
        try open().history(name, decrypt: decrypt)
    }

    public func deleteParameter(_ name: ParameterName) async throws {
        try open().delete(name)
    }

    public func labelParameterVersion(_ name: ParameterName, version: Int, label: ParameterLabel) async throws {
        try open().label(name, version: version, label: label)
    }
}
