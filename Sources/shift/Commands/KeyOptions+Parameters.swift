import ShiftCore

extension KeyOptions {
    /// The account's parameters, on its platform: the local store opened with this master key, or SSM.
    /// - Throws: what resolving the account throws; the catalog's operations throw a missing key's error.
    func parameters(_ global: GlobalOptions) throws -> any ParameterCatalog {
        try global.platform(keyFile: keyFile).parameters
    }
}
