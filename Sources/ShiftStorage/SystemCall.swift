import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls whose names clash with Swift methods (`write`, `kill`), called through the C library of
/// the platform being built for: Glibc on Linux, Darwin on macOS. The one place that tells them apart.
public enum SystemCall {
    /// `write(2)`: bytes written, or -1 with `errno` set.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, bytes, count)
        #else
        return Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// `kill(2)`: sends `signal` to `process` (a negative id names a process group); 0, or -1 with `errno` set.
    @discardableResult
    public static func kill(_ process: pid_t, _ signal: Int32) -> Int32 {
        #if canImport(Glibc)
        return Glibc.kill(process, signal)
        #else
        return Darwin.kill(process, signal)
        #endif
    }
}
