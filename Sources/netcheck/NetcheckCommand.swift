import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `netcheck` command line: one subcommand per use.
@main
struct Netcheck: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "netcheck",
        abstract: "Diagnose network problems from system-call traces (strace, truss, dtrace, ktrace).",
        discussion: """
            Exit codes: 0 success; 2 usage error; 65 malformed input (with --strict, or unreadable \
            IR/gzip data); 66 an input cannot be opened; 74 output cannot be written. See docs/exit-codes.md.
            """,
        version: version,
        subcommands: [Diagnose.self, Convert.self, Formats.self]
    )

    /// Runs the command, mapping every error to a one-line message and a documented exit code.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            printError("netcheck: " + failure.message)
            Glibc.exit(failure.code.rawValue)
        } catch let status as ExitCode {
            Glibc.exit(status.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            if code == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(ExitStatus.usage.rawValue)
            }
            printError("netcheck: " + fullMessage(for: error))
            Glibc.exit(code.rawValue)
        }
    }
}

/// netcheck's documented exit codes (docs/exit-codes.md).
enum ExitStatus: Int32 {
    case success = 0
    case usage = 2
    case dataError = 65
    case noInput = 66
    case ioError = 74
}

/// An error that ends the command with a one-line message and an exit code.
struct Failure: Error {
    var message: String
    var code: ExitStatus
}

func printError(_ message: String) {
    var line = Array(message.utf8)
    line.append(0x0A)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
