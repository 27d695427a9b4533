import Testing
import IR
import Parsers
import TestSupport
@testable import Exporters

/// Values written in strace's notation read back as the same values, and generated traces
/// survive strace → IR → strace unchanged.
@Suite struct StraceWriterPropertyTests {
    func parse(_ text: String) throws -> [Event] {
        let reader = try TraceInput.open(source: MemorySource(text), format: "strace", traces: TraceRegistry())
        var out: [Event] = []
        while let e = try reader.next() { out.append(e) }
        return out
    }

    /// A value strace can print and read back without ambiguity.
    func value(_ rng: inout SplitMix, depth: Int = 0) -> Value {
        switch rng.below(depth > 1 ? 8 : 11) {
        case 0: return .integer(Int64(bitPattern: rng.next()) >> rng.below(60))
        case 1: return .hex(rng.next() >> rng.below(60))
        case 2: return .null
        case 3: return .symbol(["SOCK_STREAM", "AF_INET", "MSG_DONTWAIT", "SOL_SOCKET"][rng.below(4)])
        case 4: return .flags((0..<(2 + rng.below(3))).map { _ in .symbol("F_\(rng.below(50))") })
        case 5: return .bytes(Buffer(bytes: rng.bytes(48), truncated: rng.below(3) == 0))
        case 6: return .address(.inet(IPv4Address(UInt32(truncatingIfNeeded: rng.next())), port: UInt16(rng.below(65536))))
        case 7: return .address(.inet6(IPv6Address(high: rng.next(), low: rng.next()), port: UInt16(rng.below(65536)),
                                       flowInfo: UInt32(rng.below(1 << 20)), scopeID: UInt32(rng.below(9))))
        case 8: return .structure((0..<(1 + rng.below(3))).map { k in Field(name: "f\(k)", value: value(&rng, depth: depth + 1)) })
        case 9: return .array((0..<rng.below(4)).map { _ in value(&rng, depth: depth + 1) })
        default: return .call("htons", [.integer(Int64(rng.below(65536)))])
        }
    }

    @Test func generatedValuesReadBack() throws {
        var rng = SplitMix(seed: 2024)
        for _ in 0..<3000 {
            let v = value(&rng)
            var text: [UInt8] = Array("frobnicate(".utf8)  // no signature: arguments stay as written
            StraceValueWriter.write(v, into: &text)
            text += Array(") = 0\n".utf8)
            let line = String(decoding: text, as: UTF8.self)
            let evs = try parse(line)
            guard let call = evs.first?.syscall else { Issue.record("not read back: \(line)"); continue }
            #expect(call.argument(0) == v, "\(line)")
        }
    }

    @Test func generatedTracesRenderBackUnchanged() throws {
        var rng = SplitMix(seed: 77)
        var lines: [String] = []
        var clock: Int64 = 3600 * 1_000_000_000
        var open: [Int32: String] = [:]
        for _ in 0..<4000 {
            let pid = Int32(1000 + rng.below(4))
            clock += Int64(rng.below(1_000_000)) * 1000
            let time = Timestamp(kind: .timeOfDay, nanoseconds: clock).text
            let prefix = rng.below(4) == 0 ? "[pid \(String(repeating: " ", count: max(0, 5 - String(pid).count)))\(pid)] " : "\(pid)  "
            var argText: [UInt8] = []
            StraceValueWriter.write(value(&rng), into: &argText)
            let arg = String(decoding: argText, as: UTF8.self)
            if let name = open.removeValue(forKey: pid) {
                lines.append("\(prefix)\(time) <... \(name) resumed>\(arg)) = \(rng.below(100)) <0.0000\(rng.below(90) + 10)>")
                continue
            }
            switch rng.below(6) {
            case 0:
                let name = ["recvfrom", "accept4", "poll", "read"][rng.below(4)]
                open[pid] = name
                lines.append("\(prefix)\(time) \(name)(\(rng.below(20)),  <unfinished ...>")
            case 1:
                lines.append("\(prefix)\(time) --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=\(pid), si_uid=0} ---")
            case 2:
                lines.append("\(prefix)\(time) connect(\(rng.below(20)), \(arg), 16) = -1 ECONNREFUSED (Connection refused)")
            default:
                let call = "\(prefix)\(time) sendto(\(rng.below(20)), \(arg), \(rng.below(4096)), 0, NULL, 0)"
                let pad = String(repeating: " ", count: max(1, 40 - call.utf8.count))
                lines.append(call + pad + "= \(rng.below(4096))")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        let registry = TraceRegistry()
        let reader = try TraceInput.open(source: MemorySource(text, path: "gen.strace"), format: "strace", traces: registry)
        var renderer = StraceRenderer()
        var out: [UInt8] = []
        var unparsed = 0
        while let e = try reader.next() {
            if case .unparsed = e.kind { unparsed += 1 }
            renderer.render(e, info: registry[e.trace], into: &out)
        }
        #expect(unparsed == 0)
        #expect(String(decoding: out, as: UTF8.self) == text)
    }
}
