import Foundation
import ShiftAWS
import ShiftTestSupport
import XCTest

final class CredentialsChainTests: XCTestCase {
    static let fileSecret = "fileSECRETfileSECRETfileSECRET"
    static let envSecret = "envSECRETenvSECRETenvSECRET"

    var directory: TemporaryDirectory!
    var credentialsPath: String { directory.url.appendingPathComponent("credentials").path }
    var configPath: String { directory.url.appendingPathComponent("config").path }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-aws")
        try write(credentialsPath, """
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = \(Self.fileSecret)

            [prod]
            aws_access_key_id = AKIDPROD
            aws_secret_access_key = \(Self.fileSecret)
            aws_session_token = prodTOKEN

            [broken]
            aws_access_key_id = AKIDBROKEN
            """)
        try write(configPath, """
            [default]
            region = us-east-2

            [profile prod]
            region = eu-west-1
            endpoint_url = http://127.0.0.1:5001

            [profile config-only]
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = \(Self.fileSecret)
            """)
    }

    override func tearDown() {
        directory.remove()
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["AWS_SHARED_CREDENTIALS_FILE": credentialsPath, "AWS_CONFIG_FILE": configPath].merging(extra) { $1 }
    }

    // MARK: - Credentials

    func testDevNullAsConfigFiles_readsAsEmpty_asTheAWSCLIDoes() throws {
        let chain = CredentialsChain(environment: [
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_CONFIG_FILE": "/dev/null",
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.envSecret, "AWS_REGION": "eu-west-1",
        ])
        XCTAssertEqual(try chain.resolveCredentials().accessKeyId, "AKIDENV")
        XCTAssertEqual(try chain.resolveEndpoint(serviceID: "Lambda", endpointPrefix: "lambda", region: "eu-west-1").absoluteString, "https://lambda.eu-west-1.amazonaws.com")
    }

    func testEndpointOverride_doesNotReadAnUnreadableConfigFile() throws {
        let chain = CredentialsChain(environment: ["AWS_CONFIG_FILE": directory.url.path])  // a directory: unreadable as a file
        XCTAssertEqual(
            try chain.resolveEndpoint(serviceID: "Lambda", endpointPrefix: "lambda", region: "eu-west-1", override: "http://127.0.0.1:5000").absoluteString,
            "http://127.0.0.1:5000")
    }

    func testEnvironmentCredentials_winOverTheProfile() throws {
        let chain = CredentialsChain(environment: environment([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.envSecret, "AWS_SESSION_TOKEN": "envTOKEN",
            "AWS_PROFILE": "prod",
        ]))
        XCTAssertEqual(
            try chain.resolveCredentials(),
            AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: Self.envSecret, sessionToken: "envTOKEN"))
    }

    func testExplicitProfile_winsOverEnvironmentCredentials() throws {
        let chain = CredentialsChain(
            environment: environment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.envSecret]), profile: "prod")
        XCTAssertEqual(try chain.resolveCredentials().accessKeyId, "AKIDPROD")
    }

    func testNoEnvironment_usesTheDefaultProfile() throws {
        let credentials = try CredentialsChain(environment: environment()).resolveCredentials()
        XCTAssertEqual(credentials, AWSCredentials(accessKeyId: "AKIDDEFAULT", secretAccessKey: Self.fileSecret))
    }

    func testAWSProfile_choosesTheProfile_withItsSessionToken() throws {
        let credentials = try CredentialsChain(environment: environment(["AWS_PROFILE": "prod"])).resolveCredentials()
        XCTAssertEqual(credentials, AWSCredentials(accessKeyId: "AKIDPROD", secretAccessKey: Self.fileSecret, sessionToken: "prodTOKEN"))
    }

    func testProfileOnlyInConfigFile_isRead() throws {
        let credentials = try CredentialsChain(environment: environment(["AWS_PROFILE": "config-only"])).resolveCredentials()
        XCTAssertEqual(credentials.accessKeyId, "AKIDCONFIG")
    }

    func testHomeDirectory_isTheDefaultLocation() throws {
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try write(directory.url.appendingPathComponent(".aws/credentials").path, "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = s\n")
        let chain = CredentialsChain(environment: ["HOME": directory.url.path])
        XCTAssertEqual(chain.credentialsFilePath, directory.url.path + "/.aws/credentials")
        XCTAssertEqual(try chain.resolveCredentials().accessKeyId, "AKIDHOME")
    }

    func testMissingProfile_namesTheProfileAndBothFiles() {
        XCTAssertThrowsError(try CredentialsChain(environment: environment(["AWS_PROFILE": "nope"])).resolveCredentials()) { error in
            XCTAssertEqual(
                error as? AWSPlatformError,
                .profileNotFound(profile: "nope", credentialsFile: self.credentialsPath, configFile: self.configPath))
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.contains("'nope'") && message.contains(self.credentialsPath) && message.contains(self.configPath), message)
        }
    }

    func testProfileWithoutSecret_namesFileLineAndKey_neverTheValues() {
        XCTAssertThrowsError(try CredentialsChain(environment: environment(["AWS_PROFILE": "broken"])).resolveCredentials()) { error in
            XCTAssertEqual(
                error as? AWSPlatformError,
                .incompleteProfile(profile: "broken", file: self.credentialsPath, line: 10, missingKey: "aws_secret_access_key"))
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.hasPrefix("\(self.credentialsPath):10: profile 'broken'"), message)
            XCTAssertFalse(message.contains(Self.fileSecret), message)
        }
    }

    func testHalfSetEnvironment_isAnError_thatNamesTheVariables_notTheSecret() {
        let chain = CredentialsChain(environment: environment(["AWS_SECRET_ACCESS_KEY": Self.envSecret]))
        XCTAssertThrowsError(try chain.resolveCredentials()) { error in
            XCTAssertEqual(
                error as? AWSPlatformError,
                .incompleteEnvironmentCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID"))
            XCTAssertFalse((error as? LocalizedError)?.errorDescription?.contains(Self.envSecret) ?? true)
            XCTAssertEqual((error as? AWSPlatformError)?.category, .badInput)
        }
    }

    func testEmptyVariables_countAsUnset() throws {
        let chain = CredentialsChain(environment: environment(["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": ""]))
        XCTAssertEqual(try chain.resolveCredentials().accessKeyId, "AKIDDEFAULT")
    }

    // MARK: - Region

    func testRegion_order_overrideThenAWSRegionThenDefaultRegionThenProfile() throws {
        let all = environment(["AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "sa-east-1", "AWS_PROFILE": "prod"])
        XCTAssertEqual(try CredentialsChain(environment: all).resolveRegion(override: "ca-central-1"), "ca-central-1")
        XCTAssertEqual(try CredentialsChain(environment: all).resolveRegion(), "ap-south-1")
        XCTAssertEqual(
            try CredentialsChain(environment: environment(["AWS_DEFAULT_REGION": "sa-east-1", "AWS_PROFILE": "prod"])).resolveRegion(),
            "sa-east-1")
        XCTAssertEqual(try CredentialsChain(environment: environment(["AWS_PROFILE": "prod"])).resolveRegion(), "eu-west-1")
        XCTAssertEqual(try CredentialsChain(environment: environment()).resolveRegion(), "us-east-2")
        XCTAssertEqual(try CredentialsChain(environment: environment(), profile: "prod").resolveRegion(), "eu-west-1")
    }

    func testNoRegion_namesTheProfileAndConfigFile() {
        let chain = CredentialsChain(environment: environment(["AWS_PROFILE": "config-only"]))
        XCTAssertThrowsError(try chain.resolveRegion()) { error in
            XCTAssertEqual(error as? AWSPlatformError, .missingRegion(profile: "config-only", configFile: self.configPath))
        }
    }

    // MARK: - Endpoint

    func testEndpoint_defaultsToThePublicEndpoint() throws {
        let chain = CredentialsChain(environment: environment())
        XCTAssertEqual(
            try chain.resolveEndpoint(serviceID: "CloudWatch", endpointPrefix: "monitoring", region: "eu-west-1").absoluteString,
            "https://monitoring.eu-west-1.amazonaws.com")
        XCTAssertEqual(
            try chain.resolveEndpoint(serviceID: "Lambda", endpointPrefix: "lambda", region: "cn-north-1").absoluteString,
            "https://lambda.cn-north-1.amazonaws.com.cn")
    }

    func testEndpoint_order_overrideThenServiceVariableThenGlobalVariableThenProfile() throws {
        let variables = environment([
            "AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_LAMBDA": "http://127.0.0.1:5002", "AWS_PROFILE": "prod",
        ])
        let chain = CredentialsChain(environment: variables)
        func endpoint(_ id: String, override: String? = nil) throws -> String {
            try chain.resolveEndpoint(serviceID: id, endpointPrefix: id.lowercased(), region: "eu-west-1", override: override).absoluteString
        }
        XCTAssertEqual(try endpoint("Lambda", override: "http://localhost:9000"), "http://localhost:9000")
        XCTAssertEqual(try endpoint("Lambda"), "http://127.0.0.1:5002")
        XCTAssertEqual(try endpoint("SSM"), "http://127.0.0.1:5000")
        let profileOnly = CredentialsChain(environment: environment(["AWS_PROFILE": "prod"]))
        XCTAssertEqual(
            try profileOnly.resolveEndpoint(serviceID: "SSM", endpointPrefix: "ssm", region: "eu-west-1").absoluteString,
            "http://127.0.0.1:5001")
    }

    func testInvalidEndpoint_namesTheVariable_andHidesUserInfo() {
        let chain = CredentialsChain(environment: environment(["AWS_ENDPOINT_URL": "ftp://user:hunter2@example.com"]))
        XCTAssertThrowsError(try chain.resolveEndpoint(serviceID: "SSM", endpointPrefix: "ssm", region: "eu-west-1")) { error in
            XCTAssertEqual(error as? AWSPlatformError, .invalidEndpoint(source: "AWS_ENDPOINT_URL", value: "ftp://****@example.com"))
        }
    }

    // MARK: - Helpers

    private func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
