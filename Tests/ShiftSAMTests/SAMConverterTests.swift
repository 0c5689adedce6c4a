import Foundation
import ShiftCore
import ShiftPipeline
import ShiftSAM
import XCTest

/// Templates written from the SAM specification (AWS::Serverless-2016-10-31), converted and parsed back.
final class SAMConverterTests: XCTestCase {
    static let basic = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: orders
              CodeUri: src/orders
              Handler: bootstrap
              Runtime: provided.al2023
              Timeout: 7
              Description: the orders API
              AutoPublishAlias: live
              DeploymentPreference:
                Type: Canary10Percent5Minutes
        """

    func testBasicFunction_becomesBuildAndDeployStages_withPositionsInComments() throws {
        let fixture = try SAMFixture(Self.basic)
        let (pipeline, conversion) = try fixture.pipeline()
        XCTAssertEqual(pipeline.function("orders")?.handler, "./bootstrap")
        XCTAssertEqual(pipeline.function("orders")?.timeout, 7)
        XCTAssertEqual(pipeline.function("orders")?.description, "the orders API")
        XCTAssertEqual(pipeline.function("orders")?.artifact, "orders")
        XCTAssertEqual(pipeline.stages.map(\.name), ["build", "deploy"])
        if case let .build(build) = pipeline.stages[0].kind { XCTAssertEqual(build.artifacts.first?.path, "src/orders") } else { XCTFail() }
        let deployment = try XCTUnwrap(pipeline.deployment("orders"))
        XCTAssertEqual(deployment.alias, "live")
        XCTAssertEqual(deployment.preference.name, "Canary10Percent5Minutes")
        XCTAssertEqual(pipeline.source, .directory(path: "."))
        XCTAssertTrue(conversion.pipeline.contains("preference: Canary10Percent5Minutes  # DeploymentPreference.Type Canary10Percent5Minutes at template.yaml:\(fixture.position(of: "Canary10"))"))
        XCTAssertTrue(conversion.pipeline.contains("# AutoPublishAlias at template.yaml:\(fixture.position(of: "live"))"))
        XCTAssertTrue(conversion.pipeline.contains("# CodeUri src/orders at template.yaml:\(fixture.position(of: "src/orders"))"))
        XCTAssertEqual(conversion.items, [])
    }

    func testShortAndLongForms_convertToTheSamePipeline() throws {
        let short = try SAMFixture("""
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: {Type: String, Default: prod}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Resources:
              Orders:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: !Sub "orders-${Stage}"
                  CodeUri: src/orders
                  Handler: bootstrap
                  Runtime: provided.al2023
                  AutoPublishAlias: !Ref Stage
                  Environment:
                    Variables:
                      ARN: !GetAtt Orders.Arn
                      REGION: !Sub ["${AWS::Region}-${Suffix}", {Suffix: !Ref AWS::Partition}]
                      ALIAS: !Ref Orders.Alias
                  DeploymentPreference:
                    Type: !If [IsProd, Linear10PercentEvery1Minute, AllAtOnce]
            """)
        let long = try SAMFixture("""
            {"Transform": "AWS::Serverless-2016-10-31",
             "Parameters": {"Stage": {"Type": "String", "Default": "prod"}},
             "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
             "Resources": {"Orders": {"Type": "AWS::Serverless::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "orders-${Stage}"}, "CodeUri": "src/orders", "Handler": "bootstrap", "Runtime": "provided.al2023",
                "AutoPublishAlias": {"Ref": "Stage"},
                "Environment": {"Variables": {"ARN": {"Fn::GetAtt": ["Orders", "Arn"]},
                                              "REGION": {"Fn::Sub": ["${AWS::Region}-${Suffix}", {"Suffix": {"Ref": "AWS::Partition"}}]},
                                              "ALIAS": {"Ref": "Orders.Alias"}}},
                "DeploymentPreference": {"Type": {"Fn::If": ["IsProd", "Linear10PercentEvery1Minute", "AllAtOnce"]}}}}}}
            """)
        let (fromShort, _) = try short.pipeline()
        let (fromLong, _) = try long.pipeline()
        XCTAssertEqual(fromShort.functions, fromLong.functions)
        XCTAssertEqual(fromShort.stages, fromLong.stages)
        let function = try XCTUnwrap(fromShort.function("orders-prod"))
        XCTAssertEqual(function.environment, ["ARN": "arn:aws:lambda:us-east-1:123456789012:function:orders-prod", "REGION": "us-east-1-aws",
                                              "ALIAS": "arn:aws:lambda:us-east-1:123456789012:function:orders-prod:prod"])
        XCTAssertEqual(fromShort.deployment("orders-prod")?.alias, "prod")
        XCTAssertEqual(fromShort.deployment("orders-prod")?.preference.name, "Linear10PercentEvery1Minute")
        // An override flips the condition, and the pseudo parameters take overrides too.
        let (dev, _) = try short.pipeline(["Stage": "dev", "AWS::Region": "eu-west-1"])
        XCTAssertEqual(dev.deployment("orders-dev")?.preference.name, "AllAtOnce")
        XCTAssertEqual(dev.function("orders-dev")?.environment["REGION"], "eu-west-1-aws")
    }

    func testConditionFunctions_andOrNotAndConditionReferences() throws {
        let template = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage: {Type: String, Default: prod}
              Region: {Type: String, Default: eu}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsEu: {"Fn::Equals": [{"Ref": Region}, eu]}
              ProdInEu: !And [!Condition IsProd, {Condition: IsEu}]
              NotProd: !Not [!Condition IsProd]
              ProdOrEu: !Or [!Condition NotProd, !Condition IsEu]
            Resources:
              Orders:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/orders
                  Handler: bootstrap
                  Runtime: provided.al2023
                  AutoPublishAlias: live
                  Environment:
                    Variables:
                      AND: !If [ProdInEu, "yes", "no"]
                      NOT: !If [NotProd, "yes", "no"]
                      OR: !If [ProdOrEu, "yes", "no"]
              Extra:
                Type: AWS::Serverless::Function
                Condition: NotProd
                Properties: {CodeUri: src/orders, Handler: bootstrap, Runtime: provided.al2023}
            """
        let fixture = try SAMFixture(template)
        let (prod, _) = try fixture.pipeline()
        XCTAssertEqual(prod.function("Orders")?.environment, ["AND": "yes", "NOT": "no", "OR": "yes"])
        XCTAssertNil(prod.function("Extra"), "a resource whose Condition is false does not exist")
        let (devUS, _) = try fixture.pipeline(["Stage": "dev", "Region": "us"])
        XCTAssertEqual(devUS.function("Orders")?.environment, ["AND": "no", "NOT": "yes", "OR": "yes"])
        XCTAssertNotNil(devUS.function("Extra"))
        let (prodUS, _) = try fixture.pipeline(["Region": "us"])
        XCTAssertEqual(prodUS.function("Orders")?.environment, ["AND": "no", "NOT": "no", "OR": "no"])
    }

    func testGlobals_scalarsOverridden_mapsMerged_listsAppendedGlobalsFirst() throws {
        let fixture = try SAMFixture("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: provided.al2023
                Handler: bootstrap
                Timeout: 10
                AutoPublishAlias: live
                Environment:
                  Variables: {TABLE: orders, STAGE: global}
                DeploymentPreference:
                  Type: Linear10PercentEvery1Minute
                  Alarms: [global-errors]
            Resources:
              Orders:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/orders
                  Timeout: 20
                  Environment:
                    Variables: {STAGE: local}
                  DeploymentPreference:
                    Alarms: [orders-errors]
              Hooks:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/hooks
                  DeploymentPreference:
                    Type: AllAtOnce
            """)
        let (pipeline, _) = try fixture.pipeline()
        XCTAssertEqual(pipeline.function("Orders")?.timeout, 20)
        XCTAssertEqual(pipeline.function("Orders")?.environment, ["TABLE": "orders", "STAGE": "local"])
        XCTAssertEqual(pipeline.deployment("Orders")?.alarms, ["global-errors", "orders-errors"])
        XCTAssertEqual(pipeline.deployment("Orders")?.preference.name, "Linear10PercentEvery1Minute")
        XCTAssertEqual(pipeline.function("Hooks")?.timeout, 10)
        XCTAssertEqual(pipeline.deployment("Hooks")?.preference.name, "AllAtOnce")
        XCTAssertEqual(pipeline.deployment("Hooks")?.alarms, ["global-errors"])
    }

    func testPreferenceTypes_nineNamesWithAndWithoutPrefix_shiftForms_andCustomConfigs() throws {
        for name in DeploymentPreference.predefinedNames {
            for type in [name, DeploymentPreference.codeDeployPrefix + name] {
                let (pipeline, _) = try SAMFixture(Self.basic.replacingOccurrences(of: "Canary10Percent5Minutes", with: type)).pipeline()
                XCTAssertEqual(pipeline.deployment("orders")?.preference.name, name, type)
            }
        }
        let (seconds, _) = try SAMFixture(Self.basic.replacingOccurrences(of: "Canary10Percent5Minutes", with: "Canary50Percent5Seconds")).pipeline()
        XCTAssertEqual(seconds.deployment("orders")?.preference.name, "Canary50Percent5Seconds")

        let custom = try SAMFixture(Self.basic.replacingOccurrences(of: "Canary10Percent5Minutes", with: "!Ref Slow") + """

              Slow:
                Type: AWS::CodeDeploy::DeploymentConfig
                Properties:
                  ComputePlatform: Lambda
                  DeploymentConfigName: Slow5PercentEvery2
                  TrafficRoutingConfig:
                    Type: TimeBasedLinear
                    TimeBasedLinear: {LinearPercentage: 5, LinearInterval: 2}
            """)
        let (pipeline, conversion) = try custom.pipeline()
        XCTAssertEqual(pipeline.deployment("orders")?.preference.name, "Linear5PercentEvery2Minutes")
        XCTAssertEqual(conversion.items, [], "the config resource is used, so it is not listed")

        let unknown = try SAMFixture(Self.basic.replacingOccurrences(of: "Canary10Percent5Minutes", with: "MyTeamConfig"))
        XCTAssertTrue(unknown.error().hasPrefix("template.yaml:\(unknown.position(of: "MyTeamConfig")): Resources.Orders.Properties.DeploymentPreference.Type: is 'MyTeamConfig', a custom CodeDeploy configuration the template does not define; define it"))
    }

    func testEnabledFalse_movesTheAliasAtOnce_withoutHooksOrAlarms() throws {
        let fixture = try SAMFixture(Self.basic.replacingOccurrences(of: "Type: Canary10Percent5Minutes", with: """
            Type: Canary10Percent5Minutes
                    Enabled: false
                    Alarms: [orders-errors]
                    Hooks: {PreTraffic: !Ref Orders}
            """))
        let (pipeline, conversion) = try fixture.pipeline()
        let deployment = try XCTUnwrap(pipeline.deployment("orders"))
        XCTAssertEqual(deployment.preference.name, "AllAtOnce")
        XCTAssertNil(deployment.preTrafficHook)
        XCTAssertEqual(deployment.alarms, [])
        XCTAssertEqual(conversion.items.map(\.property), ["Resources.Orders.Properties.DeploymentPreference.Type", "Resources.Orders.Properties.DeploymentPreference.Alarms",
                                                         "Resources.Orders.Properties.DeploymentPreference.Hooks"])
        XCTAssertEqual(conversion.items[1].position, fixture.position(of: "Alarms:"))
    }

    static let alarmsAndHooks = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Orders:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: orders
              CodeUri: src/orders
              Handler: bootstrap
              Runtime: provided.al2023
              AutoPublishAlias: live
              DeploymentPreference:
                Type: Canary10Percent5Minutes
                Alarms:
                  - !Ref OrdersErrors
                  - team-dashboard-alarm
                Hooks:
                  PreTraffic: !Ref PreTrafficHook
                  PostTraffic: !GetAtt PreTrafficHook.Arn
          PreTrafficHook:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !Sub "CodeDeployHook_orders"
              CodeUri: src/hooks
              Handler: bootstrap
              Runtime: provided.al2023
              Policies:
                - Version: "2012-10-17"
                  Statement:
                    - Effect: Allow
                      Action: [codedeploy:PutLifecycleEventHookExecutionStatus]
                      Resource: "*"
          OrdersErrors:
            Type: AWS::CloudWatch::Alarm
            Properties:
              AlarmName: orders-errors
              Namespace: AWS/Lambda
              MetricName: Errors
              Statistic: Sum
              Period: 60
              EvaluationPeriods: 2
              DatapointsToAlarm: 1
              Threshold: 0
              ComparisonOperator: GreaterThanThreshold
              TreatMissingData: notBreaching
              Dimensions:
                - {Name: FunctionName, Value: !Ref Orders}
                - {Name: Resource, Value: !Sub "${Orders}:live"}
        """

    func testAlarmsAndHooks_local_inlineDefinition_hooksShipFirst_reportingHookListed() throws {
        let fixture = try SAMFixture(Self.alarmsAndHooks)
        let (pipeline, conversion) = try fixture.pipeline(traffic: 5)
        XCTAssertEqual(pipeline.stages.map(\.name), ["build", "hooks", "deploy"])
        XCTAssertNotNil(pipeline.deployment("CodeDeployHook_orders", stage: "hooks"))
        let deployment = try XCTUnwrap(pipeline.deployment("orders"))
        XCTAssertEqual(deployment.preTrafficHook, "CodeDeployHook_orders:live")
        XCTAssertEqual(deployment.postTrafficHook, "CodeDeployHook_orders:live")
        XCTAssertEqual(deployment.alarms, ["orders-errors", "team-dashboard-alarm"])
        XCTAssertEqual(deployment.traffic, 5)
        let definition = try XCTUnwrap(deployment.alarmDefinitions.first)
        XCTAssertEqual(definition, try AlarmDefinition(name: "orders-errors", functionName: "orders", alias: "live", metric: .errors, statistic: .sum, period: 60,
                                                      evaluationPeriods: 2, datapointsToAlarm: 1, threshold: 0, comparison: .greaterThanThreshold, treatMissingData: .notBreaching))
        XCTAssertEqual(conversion.items.map(\.description), [
            "template.yaml:\(fixture.position(of: "!Ref PreTrafficHook")): Resources.Orders.Properties.DeploymentPreference.Hooks.PreTraffic: hook CodeDeployHook_orders reports to CodeDeploy with PutLifecycleEventHookExecutionStatus; shift reads the hook's response instead: answer {\"status\": \"Failed\"} (or fail) to stop the deployment, anything else passes (see the README's hook contract)",
            "template.yaml:\(fixture.position(of: "!GetAtt PreTrafficHook.Arn")): Resources.Orders.Properties.DeploymentPreference.Hooks.PostTraffic: hook CodeDeployHook_orders reports to CodeDeploy with PutLifecycleEventHookExecutionStatus; shift reads the hook's response instead: answer {\"status\": \"Failed\"} (or fail) to stop the deployment, anything else passes (see the README's hook contract)",
            "template.yaml:\(fixture.position(of: "Policies:")): Resources.PreTrafficHook.Properties.Policies: shift does not manage IAM; on an aws account the execution role is the account's role:",
        ])
        XCTAssertTrue(conversion.pipeline.contains("- team-dashboard-alarm  # Resources.Orders.Properties.DeploymentPreference.Alarms[1]: not defined in the template, so it must exist in the account; listed at template.yaml:\(fixture.position(of: "team-dashboard-alarm"))"), conversion.pipeline)
    }

    func testHookCode_callingPutLifecycleEventHookExecutionStatus_isListed() throws {
        let template = Self.alarmsAndHooks.replacingOccurrences(of: "codedeploy:PutLifecycleEventHookExecutionStatus", with: "logs:CreateLogGroup")
        let quiet = try SAMFixture(template)
        XCTAssertFalse(try quiet.convert().items.contains { $0.advice.contains("PutLifecycleEventHookExecutionStatus") })
        let calling = try SAMFixture(template, files: ["src/hooks/app.py": "codedeploy.put_lifecycle_event_hook_execution_status(status='Succeeded')"])
        XCTAssertEqual(try calling.convert().items.filter { $0.advice.contains("PutLifecycleEventHookExecutionStatus") }.count, 2)
    }

    func testAlarmsOnAwsAccount_areNames_andTheTemplateAlarmIsListed() throws {
        let fixture = try SAMFixture(Self.alarmsAndHooks)
        let (pipeline, conversion) = try fixture.pipeline(platform: .aws)
        XCTAssertEqual(pipeline.deployment("orders")?.alarms, ["orders-errors", "team-dashboard-alarm"])
        XCTAssertEqual(pipeline.deployment("orders")?.alarmDefinitions, [])
        XCTAssertEqual(pipeline.accounts.first?.runtime, "provided.al2023")
        XCTAssertEqual(pipeline.function("orders")?.handler, "bootstrap")
        XCTAssertTrue(conversion.items.contains { $0.property == "Resources.OrdersErrors" && $0.position == fixture.position(of: "OrdersErrors:") && $0.advice.contains("create orders-errors in CloudWatch") })
    }

    func testAlarmThatCannotBeInline_isListedAndKeptByName() throws {
        let fixture = try SAMFixture(Self.alarmsAndHooks.replacingOccurrences(of: "MetricName: Errors", with: "MetricName: ConcurrentExecutions")
            .replacingOccurrences(of: "TreatMissingData: notBreaching", with: "TreatMissingData: notBreaching\n      AlarmActions: [!Ref Topic]\n      Unit: Count")
            + "\n  Topic:\n    Type: AWS::SNS::Topic\n")
        let (pipeline, conversion) = try fixture.pipeline()
        XCTAssertEqual(pipeline.deployment("orders")?.alarms, ["orders-errors", "team-dashboard-alarm"])
        XCTAssertEqual(pipeline.deployment("orders")?.alarmDefinitions, [])
        let properties = conversion.items.map(\.property)
        XCTAssertTrue(properties.contains("Resources.OrdersErrors.Properties.AlarmActions"))
        XCTAssertTrue(properties.contains("Resources.OrdersErrors.Properties.Unit"))
        XCTAssertTrue(properties.contains("Resources.Topic"))
        let item = try XCTUnwrap(conversion.items.first { $0.property == "Resources.OrdersErrors" })
        XCTAssertEqual(item.position, fixture.position(of: "OrdersErrors:"))
        XCTAssertTrue(item.advice.contains("MetricName ConcurrentExecutions is not one shift records"), item.advice)
    }

    func testCannotCarryOver_eachListedWithItsPosition() throws {
        let fixture = try SAMFixture("""
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                MemorySize: 256
              Api:
                Cors: "'*'"
            Resources:
              Orders:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: src/orders
                  Handler: bootstrap
                  Runtime: provided.al2023
                  AutoPublishAlias: live
                  Layers: [arn:aws:lambda:us-east-1:123456789012:layer:deps:1]
                  Events:
                    Get:
                      Type: Api
                      Properties: {Path: /orders, Method: get}
                  DeploymentPreference:
                    Type: AllAtOnce
                    TriggerConfigurations: []
              Table:
                Type: AWS::Serverless::SimpleTable
            Outputs:
              Url:
                Value: example
            """)
        let (_, conversion) = try fixture.pipeline()
        XCTAssertEqual(conversion.items.map { "\($0.position) \($0.property)" }, [
            "\(fixture.position(of: "MemorySize")) Resources.Orders.Properties.MemorySize",
            "\(fixture.position(of: "Api:")) Globals.Api",
            "\(fixture.position(of: "Layers")) Resources.Orders.Properties.Layers",
            "\(fixture.position(of: "Get:")) Resources.Orders.Properties.Events.Get",
            "\(fixture.position(of: "TriggerConfigurations")) Resources.Orders.Properties.DeploymentPreference.TriggerConfigurations",
            "\(fixture.position(of: "Table:")) Resources.Table",
            "\(fixture.position(of: "Outputs:")) Outputs",
        ])
        XCTAssertTrue(conversion.items[3].advice.hasPrefix("Api event: shift does not create event sources"))
    }

    func testPythonRuntime_onLocalAccount_becomesTheFunctionsRuntimeAndHandler() throws {
        let fixture = try SAMFixture(Self.basic.replacingOccurrences(of: "Handler: bootstrap", with: "Handler: app.handler")
            .replacingOccurrences(of: "provided.al2023", with: "python3.12"))
        let (pipeline, conversion) = try fixture.pipeline()
        XCTAssertEqual(pipeline.function("orders")?.handler, "app.handler")
        XCTAssertEqual(pipeline.function("orders")?.runtime, "python3.12")
        XCTAssertTrue(conversion.pipeline.contains("# Runtime python3.12, Handler app.handler at template.yaml:"))
        XCTAssertEqual(conversion.items.map(\.position), [])
    }

    func testRuntimeTheLocalPlatformCannotRun_onLocalAccount_isListedAtItsPosition() throws {
        let fixture = try SAMFixture(Self.basic.replacingOccurrences(of: "Handler: bootstrap", with: "Handler: com.example.Handler::handle")
            .replacingOccurrences(of: "provided.al2023", with: "java21"))
        let (pipeline, conversion) = try fixture.pipeline()
        XCTAssertNil(pipeline.function("orders")?.runtime)
        XCTAssertEqual(conversion.items.map(\.position), [fixture.position(of: "java21")])
    }

    func testNoEchoParameter_isNeverWritten() throws {
        let fixture = try SAMFixture(Self.basic.replacingOccurrences(of: "Transform: AWS::Serverless-2016-10-31", with: """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              DbPassword: {Type: String, NoEcho: true}
            """).replacingOccurrences(of: "Timeout: 7", with: "Timeout: 7\n      Environment: {Variables: {DB_PASSWORD: !Ref DbPassword}}"))
        let (pipeline, conversion) = try fixture.pipeline(["DbPassword": "s3cr3t-value"])
        XCTAssertFalse(conversion.pipeline.contains("s3cr3t-value"))
        XCTAssertNil(pipeline.function("orders")?.environment["DB_PASSWORD"])
        XCTAssertTrue(conversion.items.contains { $0.property.hasSuffix("DB_PASSWORD") && $0.advice.contains("NoEcho parameter DbPassword") })
    }

    func testAwkwardValues_areQuotedSoTheFileKeepsItsShape() throws {
        let fixture = try SAMFixture(Self.basic.replacingOccurrences(of: "Description: the orders API", with: "Description: \"yes: #1 \\\"quoted\\\"\\nnext\"")
            .replacingOccurrences(of: "Timeout: 7", with: "Timeout: 7\n      Environment: {Variables: {FLAG: 'true', NUMBER: '010', EMPTY: ''}}"))
        let (pipeline, _) = try fixture.pipeline()
        XCTAssertEqual(pipeline.function("orders")?.description, "yes: #1 \"quoted\"\nnext")
        XCTAssertEqual(pipeline.function("orders")?.environment, ["FLAG": "true", "NUMBER": "010", "EMPTY": ""])
    }

    // MARK: Bad input

    func testBadInput_eachIsOneLineWithItsPosition() throws {
        let cases: [(String, [String: String], String, String)] = [
            ("Transform: [unclosed", [:], "template.yaml:", "is not valid YAML or JSON"),
            ("Resources: {}\n", [:], "template.yaml:1:1: Transform:", "is missing: a SAM template declares Transform"),
            (Self.basic.replacingOccurrences(of: "Timeout: 7", with: "Timeout: !Fancy 7"), [:], "template.yaml:11:16: Resources.Orders.Properties.Timeout:", "uses !Fancy, which is not a CloudFormation intrinsic function"),
            (Self.basic.replacingOccurrences(of: "Timeout: 7", with: "Timeout: {\"Fn::Nope\": 7}"), [:], "template.yaml:11:16: Resources.Orders.Properties.Timeout:", "uses Fn::Nope, which is not"),
            (Self.basic.replacingOccurrences(of: "Timeout: 7", with: "Timeout: !ImportValue shared-timeout"), [:], "template.yaml:11:16:", "Fn::ImportValue reads another stack's export"),
            (Self.basic.replacingOccurrences(of: "AutoPublishAlias: live", with: "AutoPublishAlias: !Ref Nothing"), [:], "template.yaml:13:25: Resources.Orders.Properties.AutoPublishAlias:", "refers to 'Nothing', which is no parameter"),
            (Self.basic.replacingOccurrences(of: "Description: the orders API", with: "Description: !Sub \"${Missing}\""), [:], "template.yaml:12:20:", "refers to 'Missing'"),
            (Self.basic.replacingOccurrences(of: "FunctionName: orders", with: "FunctionName: !Sub \"${Orders}-x\""), [:], "template.yaml:", "is part of a cycle of references (Orders -> Orders)"),
            (Self.basic.replacingOccurrences(of: "Resources:", with: "Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\nResources:")
                .replacingOccurrences(of: "Timeout: 7", with: "Timeout: !If [A, 7, 8]"), [:], "template.yaml:", "cycle of references (condition A -> condition B -> condition A)"),
            (Self.basic.replacingOccurrences(of: "Resources:", with: "Parameters:\n  Stage: {Type: String}\nResources:"), [:], "template.yaml:4:3: Parameters.Stage:", "has no value: give it a Default in the template, or a value with --parameter-overrides Stage=VALUE"),
            (Self.basic.replacingOccurrences(of: "Resources:", with: "Parameters:\n  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}\nResources:"), ["Stage": "qa"], "template.yaml:4:3: Parameters.Stage:", "is 'qa'; expected one of its AllowedValues: dev, prod"),
            (Self.basic, ["Nope": "1"], "--parameter-overrides is 'Nope'", "a parameter the template declares"),
            (Self.basic.replacingOccurrences(of: "Timeout: 7", with: "Timeout: 901"), [:], "template.yaml:11:16: Resources.Orders.Properties.Timeout:", "expected whole seconds from 1 to 900"),
            (Self.basic.replacingOccurrences(of: "CodeUri: src/orders", with: "CodeUri: s3://bucket/orders.zip"), [:], "template.yaml:8:16: Resources.Orders.Properties.CodeUri:", "shift builds from a directory"),
            (Self.basic.replacingOccurrences(of: "CodeUri: src/orders", with: "CodeUri: src/missing"), [:], "template.yaml:8:16:", "is 'src/missing', which is not a directory"),
            (Self.basic.replacingOccurrences(of: "      AutoPublishAlias: live\n", with: ""), [:], "template.yaml:13:7: Resources.Orders.Properties.DeploymentPreference:", "needs AutoPublishAlias"),
        ]
        for (template, overrides, prefix, fragment) in cases {
            let fixture = try SAMFixture(template)
            let message = fixture.error(overrides)
            XCTAssertTrue(message.hasPrefix(prefix), "\(message) should begin with \(prefix)")
            XCTAssertTrue(message.contains(fragment), "\(message) should contain \(fragment)")
        }
    }
}
