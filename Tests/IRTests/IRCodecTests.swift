import Testing
import TestSupport
@testable import IR

/// Encodes and decodes IR values and events, on fixed cases and on generated ones.
@Suite struct IRCodecTests {
    func roundTrip(_ e: Event) throws -> Event {
        let line = IREncoder.line(for: e)
        guard case .event(let back) = try IRDecoder.record(fromLine: line, traces: [e.trace.index: e.trace]) else {
            Issue.record("not an event")
            return e
        }
        return back
    }

    @Test func traceRecordRoundTrips() throws {
        let record = TraceRecord(id: TraceID(3), info: TraceInfo(path: "a/b.strace", format: "strace", platform: .freebsd, filePID: 42))
        let line = IREncoder.line(for: record)
        #expect(try IRDecoder.record(fromLine: line, traces: [:]) == .trace(record))
    }

    @Test func syscallWithEveryPartRoundTrips() throws {
        let fd = Descriptor(number: 5, info: DescriptorInfo(text: "TCP:[127.0.0.1:5000->127.0.0.1:35758]",
                                                           socket: SocketInfo(proto: "TCP", local: Endpoint("127.0.0.1:5000"),
                                                                              peer: Endpoint("127.0.0.1:35758"))))
        let call = Syscall(name: "accept", writtenName: "accept4", arguments: [
            Argument(.descriptor(Descriptor(number: 3)), text: "3"),
            Argument(.address(.inet6(IPv6Address("::ffff:1.2.3.4")!, port: 80, flowInfo: 1, scopeID: 2))),
            Argument(.array([.integer(16)])), Argument(.flags([.symbol("SOCK_CLOEXEC"), .hex(0x800)])),
        ], outcome: .returned(CallResult(value: .descriptor(fd), valueText: "5<x>", duration: .init(nanoseconds: 46_000, text: "0.000046"))),
           split: CallSplit(shape: .unfinished(argumentsAtEntry: 1, entryTrailer: ", ", resumeLead: ""),
                            resumedFrame: LineFrame(pid: 7, resultGap: 3)))
        let e = Event(trace: TraceID(0), lines: SourceLines(first: 3, resumed: 9), frame: LineFrame(
            pid: 7, time: Timestamp(kind: .timeOfDay, nanoseconds: 1_000, text: "00:00:00.000001"), prefixText: "7     "),
            kind: .syscall(call), raw: "a\nb")
        #expect(try roundTrip(e) == e)
    }

    @Test func nonUTF8UnparsedBytesSurvive() throws {
        let e = Event(trace: TraceID(0), lines: SourceLines(first: 1), frame: LineFrame(),
                      kind: .unparsed(Unparsed(bytes: [0xFF, 0x00, 0x41, 0xC3], reason: "binary", column: 1)))
        #expect(try roundTrip(e) == e)
    }

    @Test func rejectsUnknownVersionsAndTypes() {
        #expect(throws: IRDecodingError.self) {
            try IRDecoder.record(fromLine: Array(#"{"netcheck_ir":99,"trace":0,"path":"x"}"#.utf8), traces: [:])
        }
        #expect(throws: IRDecodingError.self) {
            try IRDecoder.record(fromLine: Array(#"{"trace":0,"line":1,"type":"bogus"}"#.utf8), traces: [0: TraceID(0)])
        }
        #expect(throws: IRDecodingError.self) {
            try IRDecoder.record(fromLine: Array(#"{"trace":5,"line":1,"type":"message","text":""}"#.utf8), traces: [:])
        }
    }

    /// Random values of every kind survive encoding and decoding.
    @Test func generatedValuesRoundTrip() throws {
        var rng = SplitMix(seed: 7)
        for _ in 0..<2000 {
            let v = randomValue(&rng, depth: 0)
            #expect(try IRDecoder.value(IREncoder.value(v)) == v)
        }
    }
}


func randomValue(_ rng: inout SplitMix, depth: Int) -> Value {
    switch rng.below(depth > 2 ? 9 : 13) {
    case 0: return .integer(Int64(bitPattern: rng.next()))
    case 1: return .hex(rng.next())
    case 2: return .null
    case 3: return .descriptor(Descriptor(number: Int32(rng.below(1000))))
    case 4: return .address(.inet(IPv4Address(UInt32(truncatingIfNeeded: rng.next())), port: UInt16(rng.below(65536))))
    case 5: return .address(.inet6(IPv6Address(high: rng.next(), low: rng.next()), port: UInt16(rng.below(65536)),
                                   flowInfo: UInt32(rng.below(1000)), scopeID: UInt32(rng.below(5))))
    case 6: return .address(.unix(path: rng.bytes(20), abstract: rng.below(2) == 0))
    case 7: return .symbol("SYM_\(rng.below(100))")
    case 8: return .bytes(Buffer(bytes: rng.bytes(40), truncated: rng.below(2) == 0))
    case 9: return .structure((0..<rng.below(4)).map { k in Field(name: k % 2 == 0 ? "f\(k)" : nil, value: randomValue(&rng, depth: depth + 1)) })
    case 10: return .array((0..<rng.below(4)).map { _ in randomValue(&rng, depth: depth + 1) })
    case 11: return .call("htons", [randomValue(&rng, depth: depth + 1)])
    default: return .commented(.integer(2), comment: "AF_INET")
    }
}
