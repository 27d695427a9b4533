import Testing
import IR
import TestSupport

/// `netcheck diagnose` end to end: configuration files, traces without one, JSON contract, exit codes.
@Suite struct DiagnoseCommandTests {
    let cli = ConvertCommandTests()
    static let samples: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/samples"
    }()

    func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func refusedConnectGivesTheJSONContractAndExit1() throws {
        let r = cli.run(["diagnose", Self.samples + "/tcp-refused/netcheck.conf", "--format", "json"])
        #expect(r.code == 1, "\(r.err)")
        let report = try json(r.out)
        let findings = try #require(report["findings"]?.array)
        let refused = try #require(findings.first { $0["code"]?.string == "ECONNREFUSED" })
        #expect(refused["trace"]?.string == "client.strace")
        #expect(refused["syscall"]?.string == "connect")
        #expect((refused["line"]?.int ?? 0) > 0)
        #expect(refused["severity"]?.string == "warning")
        let problems = try #require(report["problems"]?.array)
        let rule = try #require(problems.first { $0["rule"]?.string == "connect_to_unlistened_port" })
        #expect(rule["traces"]?.array?.compactMap(\.string) == ["client.strace"])
        #expect(report["ordering"]?["complete"]?.bool == true)
    }

    @Test func healthySampleExits0() {
        let r = cli.run(["diagnose", Self.samples + "/tcp-echo/netcheck.conf"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("no_network_fault"))
        #expect(r.out.contains("TCP client -> 127.0.0.1:20101"))
    }

    @Test func tracesWithoutConfigurationOnOneHost() throws {
        let r = cli.run(["diagnose", "--same-host", "--format", "json",
                         Self.samples + "/tcp-echo/server.strace", Self.samples + "/tcp-echo/client.strace"])
        #expect(r.code == 0, "\(r.err)")
        let hosts = try json(r.out)["configuration"]?["hosts"]?.array
        #expect(hosts?.count == 1)
    }

    @Test func failOnNeverReportsWithoutFailing() {
        let r = cli.run(["diagnose", Self.samples + "/tcp-refused/netcheck.conf", "--fail-on", "never"])
        #expect(r.code == 0)
        #expect(r.out.contains("connect_to_unlistened_port"))
    }

    @Test func badConfigurationNamesFileAndLine() {
        let dir = temporaryDirectory()
        writeFile(dir + "/netcheck.conf", Array("host a\n trace x.strace\n ip not-an-address\n".utf8))
        let r = cli.run(["diagnose", dir + "/netcheck.conf"])
        #expect(r.code == 65)
        #expect(r.err == "netcheck: \(dir)/netcheck.conf:3: expected `ip ADDRESS` with an IPv4 or IPv6 address\n")
    }

    @Test func missingTraceExits66() {
        let dir = temporaryDirectory()
        writeFile(dir + "/netcheck.conf", Array("host a\n trace missing.strace\n".utf8))
        let r = cli.run(["diagnose", dir + "/netcheck.conf"])
        #expect(r.code == 66)
        #expect(r.err.contains("missing.strace"))
        #expect(!r.err.contains("\n\n"))
    }

    @Test func unknownFormatIsAUsageError() {
        let r = cli.run(["diagnose", Self.samples + "/tcp-echo/netcheck.conf", "--format", "yaml"])
        #expect(r.code == 2)
    }
}
