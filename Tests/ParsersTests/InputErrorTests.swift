import Testing
import IR
import TestSupport
@testable import Parsers

/// Bad input ends in a clear error or an unparsed event: never a crash or a hang.
@Suite struct InputErrorTests {
    let dir = temporaryDirectory()

    func readAll(_ path: String, maxLineLength: Int = 16 << 20) throws -> [Event] {
        let reader = try TraceInput.open(path, format: "strace", traces: TraceRegistry(), maxLineLength: maxLineLength)
        var out: [Event] = []
        while let e = try reader.next() { out.append(e) }
        return out
    }

    @Test func missingFileAndDirectory() {
        var missing = InputError(path: dir + "/nope", message: "cannot open: No such file or directory")
        missing.kind = .cannotOpen
        #expect(throws: missing) { try readAll(dir + "/nope") }
        let directory = #expect(throws: InputError.self) { try readAll(dir) }
        #expect(directory?.kind == .cannotOpen)
    }

    @Test func gzipIsReadTransparentlyAndDamageIsReported() throws {
        let text = String(repeating: "close(3)                                = 0\n", count: 5000)
        let plain = dir + "/t.strace"
        writeFile(plain, Array(text.utf8))
        #expect(system("gzip -n -k -f \(plain)") == 0)
        #expect(try readAll(plain + ".gz").count == 5000)
        // Two members, as `cat a.gz b.gz` makes.
        let gz = readFile(plain + ".gz")
        writeFile(dir + "/two.gz", gz + gz)
        #expect(try readAll(dir + "/two.gz").count == 10000)
        // Truncated.
        writeFile(dir + "/cut.gz", Array(gz.prefix(gz.count / 2)))
        #expect(throws: InputError(path: dir + "/cut.gz", message: "truncated gzip data: the compressed stream ends early")) {
            try readAll(dir + "/cut.gz")
        }
        // Corrupt.
        var bad = gz
        for k in 20..<min(60, bad.count) { bad[k] ^= 0x5A }
        writeFile(dir + "/bad.gz", bad)
        #expect(throws: InputError.self) { try readAll(dir + "/bad.gz") }
    }

    @Test func binaryGarbageBecomesUnparsedEvents() throws {
        var rng = SplitMix(seed: 99)
        var bytes: [UInt8] = []
        for _ in 0..<200_000 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        writeFile(dir + "/garbage", bytes)
        let evs = try readAll(dir + "/garbage")
        let newlines = bytes.filter { $0 == 0x0A }.count
        #expect(evs.count >= newlines)
        #expect(evs.allSatisfy { if case .unparsed = $0.kind { return true }; if case .message = $0.kind { return true }; return false })
    }

    @Test func hugeLineIsReportedNotLoaded() throws {
        let path = dir + "/huge"
        let f = fopen(path, "wb")!
        let chunk = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
        fputs("close(3) = 0\nwrite(1, \"", f)
        for _ in 0..<100 { _ = chunk.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) } }
        fputs("\", 10) = 10\nclose(4) = 0\n", f)
        fclose(f)
        let evs = try readAll(path, maxLineLength: 8 << 20)
        #expect(evs.count == 3)
        guard case .unparsed(let u) = evs[1].kind else { Issue.record("huge line parsed"); return }
        #expect(u.reason.contains("over the limit"))
        #expect(u.bytes.count <= 4096)
        #expect(evs[2].lines.first == 3)
    }

    @Test func emptyInputHasNoEvents() throws {
        writeFile(dir + "/empty", [])
        let reader = try TraceInput.open(dir + "/empty", traces: TraceRegistry())
        #expect(try reader.next() == nil)
    }

    @Test func unknownFormatIsNamed() {
        writeFile(dir + "/prose", Array("Dear reader,\nthis is a letter.\n".utf8))
        #expect(throws: InputError.self) { try TraceInput.open(dir + "/prose", traces: TraceRegistry()) }
    }
}

import Glibc
