import Foundation
import ShiftCore
@testable import ShiftReport
import XCTest

final class DeploymentReportTests: XCTestCase {
    typealias Fixture = ReportFixture
    static let hostile = "<script>alert(1)</script>"

    /// A deployment where every text a user or a function controls carries markup.
    private func hostileDeployment() throws -> Deployment {
        var deployment = try Fixture.rolledBack(function: "fn\(Self.hostile)", alarm: "alarm\(Self.hostile)",
                                                hookMessage: "PreTraffic hook said \(Self.hostile)", reason: "reason \(Self.hostile)")
        deployment.request.alias = "live"
        deployment.request.preTrafficHook = "hook<img src=x onerror=alert(2)>"
        deployment.events.insert(DeploymentEvent(time: Fixture.at(8), kind: .analysisResult, message: "analysis \(Self.hostile)",
                                                 analysis: Fixture.verdict(reason: "metric reason \(Self.hostile)")), at: 7)
        return deployment
    }

    func testHTML_escapesEveryUserText_soNoScriptCanBeInjected() throws {
        let deployment = try hostileDeployment()
        let metrics = Fixture.metrics(extra: [InvocationRecord(timestamp: Fixture.at(3), alias: "live", executedVersion: "<b>v</b>", durationMilliseconds: 1, isError: false)])
        for output in [DeploymentReport(deployment: deployment, metrics: metrics).html(), DeploymentReport(deployment: deployment, metrics: metrics).svg()] {
            XCTAssertFalse(output.lowercased().contains("<script"), "a <script> got through")
            XCTAssertFalse(output.contains("<img"), "an <img> got through")
            XCTAssertFalse(output.contains("<b>v</b>"), "a version label got through")
            XCTAssertTrue(output.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the text is shown, escaped")
        }
        let html = DeploymentReport(deployment: deployment, metrics: metrics).html()
        XCTAssertTrue(html.contains("fn&lt;script&gt;alert(1)&lt;/script&gt;:live"), "function name")
        XCTAssertTrue(html.contains("PreTraffic hook said &lt;script&gt;"), "hook message")
        XCTAssertTrue(html.contains("reason &lt;script&gt;"), "rollback reason")
        XCTAssertTrue(html.contains("metric reason &lt;script&gt;"), "analysis reason")
        XCTAssertTrue(html.contains("hook&lt;img src=x onerror=alert(2)&gt;"), "hook name")
    }

    func testEscape_replacesTheFiveMarkupCharacters_andDropsControlCharacters() {
        XCTAssertEqual(Markup.escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        XCTAssertEqual(Markup.escape("bell\u{07}\ttab\nline"), "bell\u{FFFD}\ttab\nline")
    }

    func testHTML_masksSecrets_inEveryTextItShows() throws {
        let secret = "hunter2-s3cr3t"
        var deployment = try Fixture.rolledBack(hookMessage: "PreTraffic hook smoke-test failed: token=\(secret)", reason: "log said \(secret)")
        deployment.events.append(DeploymentEvent(time: Fixture.at(10.5), kind: .warning, message: "stderr: \(secret)"))
        let report = DeploymentReport(deployment: deployment, metrics: Fixture.metrics(), masker: SecretMasker(secrets: [secret]))
        for output in [report.html(), report.svg()] {
            XCTAssertFalse(output.contains(secret), "the secret leaked")
            XCTAssertTrue(output.contains("token=****"), "masked where it was")
        }
    }

    func testHTML_isSelfContained_noScriptNoNetwork() throws {
        let html = DeploymentReport(deployment: try hostileDeployment(), metrics: Fixture.metrics()).html()
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        let urls = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        XCTAssertFalse(urls.contains("http://") || urls.contains("https://") || urls.contains("file://"), "only the SVG namespace is a URL")
        XCTAssertFalse(html.contains("@import"))
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "and a browser would refuse anything that got in")
        XCTAssertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"shift-chart\""))
        XCTAssertTrue(html.contains("prefers-color-scheme: dark"))
    }

    func testHTML_saysWhereAndWhyItRolledBack() throws {
        let html = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: Fixture.metrics()).html()
        XCTAssertTrue(html.contains("<strong>Rolled back</strong> to version 1 at +10s"), html)
        XCTAssertTrue(html.contains("at step 2 of 5, with 40% on version 2, because alarm api-errors is in ALARM: Errors &gt;= 3."), html)
    }

    func testHTML_whenTheReasonEndsWithAFullStop_writesOneFullStop() throws {
        let html = DeploymentReport(deployment: try Fixture.rolledBack(reason: "Threshold Crossed."), metrics: []).html()
        XCTAssertTrue(html.contains("is in ALARM: Threshold Crossed.</p>"), html)
    }

    func testHTML_showsEachVerdictsNumbers() throws {
        var deployment = try Fixture.rolledBack()
        deployment.events.insert(DeploymentEvent(time: Fixture.at(8), kind: .analysisResult, message: "analysis", analysis: Fixture.verdict()), at: 7)
        let html = DeploymentReport(deployment: deployment, metrics: []).html()
        XCTAssertTrue(html.contains("score 50"))
        XCTAssertTrue(html.contains(">Fail<"))
        for number in [">High<", ">Pass<", "120 / 30", ">12.25<", ">36.5<", ">3412<", ">&lt; 0.0001<", "24.1 [22.5, 25.75]", "3.02×", "(critical)"] {
            XCTAssertTrue(html.contains(number), "missing \(number)")
        }
    }

    func testHTML_withoutMetrics_saysTheyWereNotAvailable() throws {
        let html = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: [], metricsUnavailable: "not on AWS").html()
        XCTAssertTrue(html.contains("Metrics were not available: not on AWS."))
    }

    func testMetricsWindow_startsAPeriodEarly_withAboutThirtyPeriods() throws {
        let window = DeploymentReport.metricsWindow(of: try Fixture.rolledBack())
        XCTAssertEqual(window.period, 1)
        XCTAssertEqual(window.since, Fixture.at(-1))
        XCTAssertEqual(DeploymentReport.period(for: 90 * 60), 300)
    }
}
