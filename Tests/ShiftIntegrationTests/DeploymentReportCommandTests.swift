import Foundation
import XCTest

/// `shift deployment report`: the report of a real deployment (real traffic, a real alarm, a real rollback),
/// rendered by a real browser. Headless Chromium (Debian's `chromium`; `.ci/run` installs it) loads the page
/// from disk, screenshots it in light and dark mode, and dumps its DOM. Without Chromium the browser test is
/// skipped, saying why, except where `SHIFT_TEST_REQUIRE_CHROMIUM` is set (`.ci/run` sets it): there it fails.
final class DeploymentReportCommandTests: ShiftIntegrationTestCase {
    /// `$SHIFT_TEST_CHROMIUM`, else the first Chromium found.
    private static let chromium: String? = {
        let given = ProcessInfo.processInfo.environment["SHIFT_TEST_CHROMIUM"].map { [$0] } ?? []
        return (given + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/snap/bin/chromium"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    private static let pngColours = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/png-colours.py")

    private func requireChromium() throws -> String {
        if let chromium = Self.chromium { return chromium }
        let why = "Chromium is not installed (apt-get install chromium; .ci/run installs it): the report cannot be rendered in a browser"
        if ProcessInfo.processInfo.environment["SHIFT_TEST_REQUIRE_CHROMIUM"] != nil {
            XCTFail(why + ", and SHIFT_TEST_REQUIRE_CHROMIUM is set")
        }
        throw XCTSkip(why)
    }

    /// `api:live` rolled back from version 2 (half its calls fail) by a real alarm, under real traffic; its id.
    private func rolledBackDeployment() throws -> String {
        createFunction("api", example: "flaky", "--env", "ERROR_RATE=0")
        createFunction("smoke", example: "echo")
        succeed("function", "publish", "api")
        succeed("function", "update", "api", "--env", "ERROR_RATE=50")
        succeed("function", "publish", "api")
        succeed("alias", "create", "api", "live", "--version", "1")
        succeed("alarm", "put", "api-errors", "--function", "api", "--alias", "live", "--metric", "Errors", "--statistic", "Sum",
                "--period", "2", "--evaluation-periods", "1", "--threshold", "3", "--comparison", "GreaterThanOrEqualToThreshold",
                "--treat-missing-data", "notBreaching")
        let traffic = try shift.start(["traffic", "api:live", "--rate", "20", "--duration", "14"])
        sleep(2)
        let deploy = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear20PercentEvery4Seconds",
                         "--alarm", "api-errors", "--pre-traffic", "smoke", "--poll-interval", "0.2", timeout: 60)
        XCTAssertEqual(deploy.exitCode, 1, "the alarm should roll version 2 back: \(deploy)")
        _ = traffic.wait(timeout: 30)
        let list = try json("deployment", "list")
        return try XCTUnwrap((list["deployments"] as? [[String: Any]])?.first?["deploymentId"] as? String)
    }

    /// Runs a program to its end; its result.
    private func execute(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> ProcessResult {
        try ChildProcess(executable: URL(fileURLWithPath: executable), arguments: arguments, environment: ProcessInfo.processInfo.environment,
                         currentDirectory: directory.url).wait(timeout: timeout)
    }

    /// Chromium, headless, with a profile of its own in the test's directory.
    private func chromium(_ chromium: String, _ arguments: [String]) throws -> ProcessResult {
        try execute(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                               "--user-data-dir=\(directory.url.appendingPathComponent("chromium-profile").path)"] + arguments)
    }

    func testReport_ofARealRollback_rendersInHeadlessChromium_lightAndDark() throws {
        let browser = try requireChromium()
        let id = try rolledBackDeployment()
        let html = directory.url.appendingPathComponent("report.html"), svg = directory.url.appendingPathComponent("chart.svg")
        let written = run("deployment", "report", id, "--html", html.path, "--svg", svg.path)
        XCTAssertEqual(written.exitCode, 0, "\(written)")

        let page = try String(contentsOf: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<strong>Rolled back</strong> to version 1"), "the page says it rolled back")
        XCTAssertTrue(page.contains("alarm api-errors is in ALARM"), "and why")
        XCTAssertTrue(page.contains("<polyline class=\"weight\""))
        // A point of version 2's metrics (a line needs two periods; a quick alarm may leave it only one).
        XCTAssertTrue(page.contains("<title>version 2, +"), "the local platform's metrics are drawn")
        XCTAssertTrue(page.contains("PreTraffic passed"))
        XCTAssertTrue(try String(contentsOf: svg, encoding: .utf8).hasPrefix("<?xml"))

        // The DOM the browser built: the chart is there, parsed as SVG.
        let dom = try chromium(browser, ["--dump-dom", html.absoluteString])
        XCTAssertEqual(dom.exitCode, 0, "\(dom)")
        XCTAssertTrue(dom.stdout.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"shift-chart\""), String(dom.stdout.prefix(2000)))
        XCTAssertTrue(dom.stdout.contains("class=\"weight\""))

        // What the browser drew: many colours, the target's orange (the weight line and marks, so the chart's CSS
        // applied), and the page's background in each colour scheme.
        for (scheme, flags, background, target) in [("light", [String](), "#f6f8fa", "#d55e00"), ("dark", ["--force-dark-mode"], "#010409", "#e69f00")] {
            let png = directory.url.appendingPathComponent("report-\(scheme).png")
            let shot = try chromium(browser, flags + ["--screenshot=\(png.path)", "--window-size=1100,1400", html.absoluteString])
            XCTAssertEqual(shot.exitCode, 0, "\(shot)")
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int)
            XCTAssertGreaterThan(size, 0, "\(scheme): empty screenshot")
            let analysis = try execute("/usr/bin/env", ["python3", Self.pngColours.path, png.path, target])
            XCTAssertEqual(analysis.exitCode, 0, "\(analysis)")
            let pixels = try analysis.jsonObject()
            XCTAssertEqual(pixels["width"] as? Int, 1100, "\(pixels)")
            XCTAssertGreaterThan(pixels["colours"] as? Int ?? 0, 50, "\(scheme): the screenshot is (nearly) one colour: \(pixels)")
            XCTAssertEqual(pixels["topLeft"] as? String, background, "\(scheme): the page's background")
            XCTAssertGreaterThan((pixels["near"] as? [String: Int])?[target] ?? 0, 200, "\(scheme): the chart's target-version colour is missing: \(pixels)")
            if let keep = ProcessInfo.processInfo.environment["SHIFT_TEST_KEEP_REPORT"] {
                for file in [html, svg, png] {
                    let copy = URL(fileURLWithPath: keep).appendingPathComponent(file.lastPathComponent)
                    try? FileManager.default.removeItem(at: copy)
                    try FileManager.default.copyItem(at: file, to: copy)
                }
            }
        }
    }

    func testReport_withNeitherHTMLNorSVG_isAUsageErrorExitTwo() {
        let result = run("deployment", "report", "d-ABCDEFGHI")
        XCTAssertEqual(result.exitCode, 2, "\(result)")
        XCTAssertTrue(result.stderr.contains("Give --html FILE, --svg FILE, or both"), result.stderr)
    }

    func testReport_ofAnUnknownDeployment_exitsTwoAndWritesNothing() {
        let file = directory.url.appendingPathComponent("nothing.html")
        let result = run("deployment", "report", "d-NOSUCH123", "--html", file.path)
        XCTAssertEqual(result.exitCode, 2, "\(result)")
        XCTAssertTrue(result.stderr.contains("d-NOSUCH123"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
    }
}
