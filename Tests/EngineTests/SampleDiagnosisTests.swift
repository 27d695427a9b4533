import Testing
import Engine
import IR
import Parsers
import TestSupport

/// End to end on the real recordings in samples/ (made here with strace 6.1; samples/README.md).
@Suite struct SampleDiagnosisTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    func run(_ sample: String) throws -> Diagnosis {
        let path = Self.root + "/samples/" + sample + "/netcheck.conf"
        let text = String(decoding: Files.read(path), as: UTF8.self)
        let config = try ConfigParser.parse(text, path: path)
        return try EngineTests.run(config) { spec, registry in try TraceInput.open(spec.path, traces: registry) }
    }

    @Test(arguments: ["tcp-echo", "tcp6-echo", "tcp-fork", "tcp-nonblocking", "http-curl", "flags/none", "flags/r", "flags/x", "flags/gzip", "flags/k"])
    func healthyExchanges(sample: String) throws {
        let d = try run(sample)
        #expect(d.rules.subtracting(Problem.notFaults).isEmpty, "\(d.problems.map(\.message))")
        #expect(d.findings.filter { $0.severity == .error }.isEmpty, "\(d.findings)")
        #expect(d.ordering.stalls == 0)
    }

    @Test func refusedConnect() throws {
        let d = try run("tcp-refused")
        #expect(d.findings.contains { $0.code == "ECONNREFUSED" && $0.call.name == "connect" })
        #expect(d.rules.contains("connect_to_unlistened_port"))
    }

    @Test func abortiveClose() throws {
        let d = try run("tcp-reset")
        #expect(d.findings.contains { $0.code == "ECONNRESET" })
        #expect(d.findings.contains { $0.code == "EPIPE" })
        #expect(d.rules.contains("peer_reset"))
    }

    @Test func closeWithUnreadData() throws {
        let d = try run("tcp-reset-unread")
        #expect(d.findings.contains { $0.code == "NONEMPTY_BUFFERS" && $0.call.name == "close" })
        #expect(d.rules.isSuperset(of: ["application_data_loss", "peer_reset"]))
    }

    @Test func nonBlockingRefused() throws {
        let d = try run("tcp-nonblocking-refused")
        #expect(d.rules.contains("nonblocking_connect_failure"))
    }

    @Test func udpTruncation() throws {
        let d = try run("udp-echo")
        #expect(d.rules.contains("udp_datagram_truncated"))
        #expect(!d.rules.contains("datagram_loss"))
        let flows = d.statistics.sorted.filter { $0.key.transport == "udp" }
        #expect(flows.reduce(0) { $0 + $1.forward.datagramsSent } == 14)
    }
}
