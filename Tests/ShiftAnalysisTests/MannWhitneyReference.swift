import Foundation

/// The reference values in Fixtures/mannwhitney-reference.json, computed once with SciPy by
/// Fixtures/make-mannwhitney-reference.py (which says how).
struct MannWhitneyReference: Decodable {
    struct Quantile: Decodable {
        var p: Double
        var z: Double
    }

    struct Generator: Decodable {
        var n: Int
        var a: Int
        var b: Int
        var shift: Double

        /// x_i = ((i * a + b) % 10007) / 100 + shift, as the script generates it.
        var values: [Double] { (0..<n).map { Double((($0 * a + b) % 10007)) / 100 + shift } }
    }

    struct Case: Decodable {
        var name: String
        var x: [Double]?
        var y: [Double]?
        var generated: [String: Generator]?
        var method: String
        var u: Double?
        var p: Double?
        var shift: Double?
        var k: Int?
        var shiftLower: Double?
        var shiftUpper: Double?

        var samples: (x: [Double], y: [Double]) {
            if let generated { return (generated["x"]!.values, generated["y"]!.values) }
            return (x ?? [], y ?? [])
        }
    }

    var producedWith: String
    var confidence: Double
    var normalQuantiles: [Quantile]
    var cases: [Case]

    static func load() throws -> MannWhitneyReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mannwhitney-reference.json")
        return try JSONDecoder().decode(MannWhitneyReference.self, from: Data(contentsOf: url))
    }
}
