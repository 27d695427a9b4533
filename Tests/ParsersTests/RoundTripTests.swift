import Testing
import IR
import Exporters
@testable import Parsers

/// strace → IR → strace and strace → IR JSON → IR → strace reproduce every line of real traces.
@Suite struct RoundTripTests {
    /// The strace traces bundled in samples/ (recorded here; see samples/README.md).
    static let bundled = files(under: repositoryRoot + "/samples") {
        $0.hasSuffix(".strace") || $0.hasSuffix(".strace.gz") || $0.hasPrefix("trace.")
    }

    /// Traces in ../shared: the corpus and the published strace samples (absent on some machines).
    static let shared: [String] = {
        guard let root = sharedRoot else { return [] }
        let corpus = files(under: root + "/corpus") { !$0.hasSuffix(".json") && !$0.hasSuffix(".md") && !$0.hasSuffix(".txt") && !$0.hasSuffix(".conf") }
        let published = files(under: root + "/formats/samples/strace") { _ in true }
            + files(under: root + "/formats/samples/strace-recorded-here") { !$0.hasSuffix(".md") && !$0.hasSuffix(".c") && !$0.hasSuffix(".sh") }
        return corpus + published
    }()

    /// Lines a person would also call broken, by file name and line, with the reason.
    static let brokenLines: [String: [Int: String]] = [
        "usbredir2phys-2-netlink-econnrefused.txt": [9: "program output torn into the middle of a write call", 10: "the torn call's rest"],
        "wb-avahi-client.excerpt": [9: "line cut off by the report's excerpting"],
        "wb-bind6-2-server.excerpt": [23: "line cut off by the report's excerpting"],
        "wb-clientpermission-server.excerpt": [3: "line cut off by the report's excerpting"],
        "wb-httpprox2-client.excerpt": [6: "line cut off by the report's excerpting"],
        "wb-noread-server.excerpt": [2: "starts in the middle of a call (excerpt)"],
        "wb-httpprox1-server.excerpt": [17: "starts in the middle of a call (excerpt)"],
    ]

    func check(_ path: String) throws {
        let original = readFile(path)
        let plain = path.hasSuffix(".gz") ? nil : original
        let registry = TraceRegistry()
        let reader = try TraceInput.open(path, format: "strace", traces: registry)
        var evs: [Event] = []
        while let e = try reader.next() { evs.append(e) }

        // Unparsed lines only where listed.
        let name = String(path.split(separator: "/").last!)
        let allowed = Self.brokenLines[name] ?? [:]
        for e in evs {
            if case .unparsed(let u) = e.kind, allowed[e.lines.first] == nil {
                Issue.record("\(path):\(e.lines.first):\(u.column): \(u.reason)")
            }
        }

        // strace → IR → strace, byte for byte (a missing final newline is added).
        let text = render(evs, registry)
        if var expected = plain.map({ String(decoding: $0, as: UTF8.self) }) {
            if !expected.isEmpty && !expected.hasSuffix("\n") { expected += "\n" }
            #expect(text == expected, "\(path): rendering differs at line \(firstDifference(text, expected))")
        }

        // strace → IR JSON → IR → strace, and IR → IR is idempotent.
        let json = render(evs, registry, as: "ir")
        let registry2 = TraceRegistry()
        let back = try TraceInput.open(source: MemorySource(json, path: "ir"), format: nil, traces: registry2)
        var evs2: [Event] = []
        while let e = try back.next() { evs2.append(e) }
        #expect(render(evs2, registry2) == text, "\(path): IR JSON round trip differs")
        #expect(render(evs2, registry2, as: "ir") == json, "\(path): IR → IR is not idempotent")
    }

    func firstDifference(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for k in 0..<min(x.count, y.count) where x[k] != y[k] { return k + 1 }
        return min(x.count, y.count) + 1
    }

    @Test func samplesAreBundled() {
        #expect(Self.bundled.count >= 8, "samples/ should hold the recorded traces")
    }

    @Test(arguments: bundled.map { String($0.dropFirst(repositoryRoot.count + 1)) })
    func bundledTraceRoundTrips(_ relative: String) throws {
        try check(repositoryRoot + "/" + relative)
    }

    @Test(.enabled(if: sharedRoot != nil, "../shared is not beside the repository"))
    func sharedTracesRoundTrip() throws {
        #expect(Self.shared.count > 100)
        for path in Self.shared { try check(path) }
    }
}
