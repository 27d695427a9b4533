import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `netcheck` binary (built beside the test bundle) and checks exit codes and output.
@Suite struct ConvertCommandTests {
    static let binary: String = {
        let me = CommandLine.arguments[0]
        let dir = me.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (dir.isEmpty ? "." : dir) + "/netcheck"
    }()

    /// Runs netcheck with `arguments` and `input` on standard input; returns exit code, stdout, stderr.
    func run(_ arguments: [String], input: String = "") -> (code: Int32, out: String, err: String) {
        let dir = temporaryDirectory()
        let inPath = dir + "/in", outPath = dir + "/out", errPath = dir + "/err"
        writeFile(inPath, Array(input.utf8))
        let quoted = ([Self.binary] + arguments).map { "'" + $0.replacingOccurrences("'", "'\\''") + "'" }.joined(separator: " ")
        let status = system("\(quoted) < \(inPath) > \(outPath) 2> \(errPath)")
        let code = (status >> 8) & 0xFF
        return (code, String(decoding: readFile(outPath), as: UTF8.self), String(decoding: readFile(errPath), as: UTF8.self))
    }

    let trace = """
        6480  socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3<TCP:[10113]>
        6480  connect(3<TCP:[10113]>, {sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused)
        6480  close(3<TCP:[10113]>)             = 0

        """

    @Test func binaryExists() {
        #expect(access(Self.binary, X_OK) == 0, "netcheck should be built beside the tests at \(Self.binary)")
    }

    @Test func convertsThroughIRAndBack() {
        let ir = run(["convert", "-", "--to", "ir"], input: trace)
        #expect(ir.code == 0)
        #expect(ir.out.hasPrefix("{\"netcheck_ir\":1,"))
        let back = run(["convert", "-", "--from", "ir", "--to", "strace"], input: ir.out)
        #expect(back.code == 0)
        #expect(back.out == trace)
    }

    @Test func unparsedLinesAreCountedAndStrictFails() {
        let broken = trace + "this line is not strace\n"
        let lenient = run(["convert", "-", "--to", "strace"], input: broken)
        #expect(lenient.code == 0)
        #expect(lenient.out == broken)
        #expect(lenient.err.contains("1 of 4 lines could not be parsed"))
        let strict = run(["convert", "-", "--to", "strace", "--strict"], input: broken)
        #expect(strict.code == 65)
        #expect(strict.err.hasPrefix("netcheck: -:4:1: expected"))
        #expect(strict.err.split(separator: "\n").count == 1)
    }

    @Test func missingInputAndBadUsage() {
        let missing = run(["convert", "/nonexistent/trace"])
        #expect(missing.code == 66)
        #expect(missing.err == "netcheck: /nonexistent/trace: cannot open: No such file or directory\n")
        let usage = run(["convert", "-", "--to", "nonsense"])
        #expect(usage.code == 2)
        let badIR = run(["convert", "-", "--from", "ir"], input: "{\"netcheck_ir\":1,\"trace\":0,\"path\":\"x\"}\n{\"trace\":0,\n")
        #expect(badIR.code == 65)
        #expect(badIR.err.hasPrefix("netcheck: -:2:"))
    }

    @Test func ffFilesMergeInTimeOrder() {
        let dir = temporaryDirectory()
        writeFile(dir + "/t.100", Array("10:00:00.000001 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n10:00:00.000005 close(3) = 0\n".utf8))
        writeFile(dir + "/t.200", Array("10:00:00.000003 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4\n".utf8))
        let merged = run(["convert", dir + "/t.100", dir + "/t.200", "--to", "strace"])
        #expect(merged.code == 0)
        #expect(merged.out == """
            100   10:00:00.000001 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3
            200   10:00:00.000003 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4
            100   10:00:00.000005 close(3) = 0

            """)
    }
}


func temporaryDirectory() -> String { Files.temporaryDirectory() }
func writeFile(_ path: String, _ bytes: [UInt8]) { Files.write(path, bytes) }
func readFile(_ path: String) -> [UInt8] { Files.read(path) }

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String { split(separator: a, omittingEmptySubsequences: false).joined(separator: b) }
}
