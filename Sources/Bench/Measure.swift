#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IR
import Parsers

/// Prints `message` to standard error and exits with status 1.
func fail(_ message: String) -> Never {
    note(message)
    exit(1)
}

/// Prints a progress note to standard error (the results table goes to standard output).
func note(_ message: String) {
    var text = "netcheck-bench: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Clocks, memory counters and the shell, as the benchmark needs them.
enum Measure {
    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The process's peak resident set (`VmHWM` in /proc/self/status), in KiB.
    static func peakResidentKiB() -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16 << 10)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let status = String(decoding: bytes[..<n], as: UTF8.self)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.dropFirst(6).filter { $0.isNumber })
    }

    /// Resets `VmHWM` to the current resident set (Linux ≥ 4.0: write 5 to /proc/self/clear_refs).
    @discardableResult
    static func resetPeakResident() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// The size of file `path` in bytes, nil when it does not exist.
    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// The modification time of `path` (seconds), nil when it does not exist.
    static func modified(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mtim.tv_sec)
    }

    /// `s` quoted for `/bin/sh`.
    static func shellQuoted(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// Runs `command` with `/bin/sh -c` and waits for it; returns its exit status.
    @discardableResult
    static func shell(_ command: String) -> Int32 {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for a in argv { free(a) } }
        let rc = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard rc == 0 else { fail("cannot run /bin/sh: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Seconds `command` takes, run through the shell.
    static func timeShell(_ command: String) -> Double {
        let t0 = now()
        let rc = shell(command)
        let t = now() - t0
        if rc != 0 { fail("'\(command)' failed with status \(rc)") }
        return t
    }
}

/// What one pass over a trace found, and how long it took.
struct ParseRun {
    var seconds: Double
    var events = 0
    var unparsed = 0
    var statistics = ReadStatistics()
    /// The first few unparsed lines: line number, column, reason, and the line's start.
    var samples: [(line: Int, column: Int, reason: String, text: String)] = []

    /// Opens `path` with ``TraceInput/open(_:format:traces:options:maxLineLength:)`` (format sniffed)
    /// and reads every event.
    static func parse(_ path: String, traces: TraceRegistry) -> ParseRun {
        var run = ParseRun(seconds: 0)
        let t0 = Measure.now()
        do throws(InputError) {
            let reader = try TraceInput.open(path, traces: traces)
            while let event = try reader.next() {
                run.events += 1
                if case .unparsed(let u) = event.kind {
                    run.unparsed += 1
                    if run.samples.count < 8 {
                        run.samples.append((event.lines.first, u.column, u.reason,
                                            String(decoding: u.bytes.prefix(240), as: UTF8.self)))
                    }
                }
            }
            run.statistics = reader.statistics
        } catch {
            fail("parsing failed: \(error)")
        }
        run.seconds = Measure.now() - t0
        return run
    }
}
