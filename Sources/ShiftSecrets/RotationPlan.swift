import Foundation
import ShiftCore
import ShiftStorage

/// Where each account of a state directory stands in a master key rotation, found without changing anything.
///
/// A rotation may have been interrupted, so a keyring may open with the new key already: the new key is tried
/// first, then the old one. The rotation's own account must open with one of them.
struct RotationPlan {
    /// Stores (holding the old key) of the accounts whose keyring only the old key opens: still to re-wrap.
    var pending: [ParameterStore] = []
    /// Accounts whose keyring the new key opens: re-wrapped already.
    var done: [String] = []
    /// Accounts with a keyring neither key opens, with the reason; a rotation leaves them as they are.
    var untouched: [String: String] = [:]

    /// Reads the keyring of every account in `state`'s directory.
    /// - Parameters:
    ///   - oldKey: the key being replaced; nil when only the staged key of an interrupted rotation is left.
    ///   - newKey: the key replacing it; nil when it is yet to be made (no keyring can open with it).
    /// - Throws: `state`'s own account's keyring error when neither key opens it; I/O errors reading it.
    init(accounts state: StateDirectory, oldKey: MasterKey?, newKey: MasterKey?, clock: any Clock) throws {
        for account in state.accounts {
            guard let directory = try? StateDirectory(root: state.root, account: account) else { continue }
            let newStore = newKey.map { ParameterStore(directory: directory, masterKey: $0, clock: clock) }
            let oldStore = oldKey.map { ParameterStore(directory: directory, masterKey: $0, clock: clock) }
            guard let store = oldStore ?? newStore else { preconditionFailure("a rotation has an old or a new key") }
            do {
                guard let keyring = try store.readKeyring() else { continue }
                if let newStore, (try? newStore.unwrap(keyring)) != nil {
                    done.append(account)
                    continue
                }
                // Throws why neither key opens it (the new key's reason when there is no old key).
                _ = try store.unwrap(keyring)
                pending.append(store)
            } catch {
                if account == state.account { throw error }
                switch error as? SecretsError {
                case .wrongMasterKey?, .masterKeyKindMismatch?:
                    untouched[account] = "neither the old nor the new key opens its keyring (it uses another master key)"
                default:
                    untouched[account] = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                }
            }
        }
    }
}
