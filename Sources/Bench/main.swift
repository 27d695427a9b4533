#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IR
import Parsers

// netcheck-bench: how fast the strace front end reads a large synthetic trace, and in how much memory.
// Sizes and throughput use MB = 10^6 bytes; memory uses MiB = 2^20 bytes.

/// The command line, read by hand.
struct BenchOptions {
    var sizeMB = 256
    var file: String?
    var gzip = false
    var runs = 3
    var onlyGenerate = false
    var regenerate = false

    static let usage = """
        usage: netcheck-bench [--size-mb N] [--file PATH] [--gzip] [--runs K] [--only-generate] [--regenerate]
          --size-mb N      size of the synthetic trace in MB (10^6 bytes; default 256)
          --file PATH      where the trace is (default /tmp/netcheck-bench/trace-<N>MB.strace);
                           reused when it exists with the right size
          --gzip           also write PATH.gz (gzip -1), time parsing it, and time `zcat` alone
          --runs K         parse K times and report the best (default 3)
          --only-generate  write the trace (and .gz) and stop
          --regenerate     write the trace even when a file of the right size exists
        """

    init(_ args: [String]) {
        var k = 0
        func value(_ name: String) -> String {
            k += 1
            guard k < args.count else { fail("\(name) needs a value\n\(Self.usage)") }
            return args[k]
        }
        func number(_ name: String) -> Int {
            let v = value(name)
            guard let n = Int(v), n > 0 else { fail("\(name) expects a positive number, not '\(v)'") }
            return n
        }
        while k < args.count {
            switch args[k] {
            case "--size-mb": sizeMB = number("--size-mb")
            case "--file": file = value("--file")
            case "--gzip": gzip = true
            case "--runs": runs = number("--runs")
            case "--only-generate": onlyGenerate = true
            case "--regenerate": regenerate = true
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default: fail("unknown option '\(args[k])'\n\(Self.usage)")
            }
            k += 1
        }
    }

    var path: String { file ?? "/tmp/netcheck-bench/trace-\(sizeMB)MB.strace" }
}

/// Makes sure a trace of the requested size is at `path`: reuses one that is there, or writes it
/// (to a temporary name first, so an interrupted run leaves nothing that looks finished).
/// Returns whether it was written now.
func ensureTrace(_ options: BenchOptions) -> Bool {
    let path = options.path
    let target = options.sizeMB * 1_000_000
    if !options.regenerate, let size = Measure.fileSize(path), size >= target, size < target + (1 << 20) {
        note("reusing \(path) (\(size) bytes)")
        return false
    }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
        Measure.shell("mkdir -p " + Measure.shellQuoted(String(path[..<slash])))
    }
    let temporary = path + ".partial"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { fail("cannot create \(temporary): \(String(cString: strerror(errno)))") }
    note("writing \(options.sizeMB) MB trace to \(path) ...")
    let t0 = Measure.now()
    var generator = TraceGenerator(fd: fd)
    let bytes = generator.generate(bytes: target)
    close(fd)
    guard rename(temporary, path) == 0 else { fail("cannot rename \(temporary): \(String(cString: strerror(errno)))") }
    let t = Measure.now() - t0
    note("wrote \(bytes) bytes, \(generator.lines) lines in \(format(t, 2)) s (\(format(Double(bytes) / 1e6 / t, 1)) MB/s)")
    return true
}

/// `value` with `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (value * scale).rounded() / scale
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        if digits == 0 { s = String(s[..<dot]) }
    } else if digits > 0 {
        s += "." + String(repeating: "0", count: digits)
    }
    return s
}

/// Parses `path` `runs` times; returns the fastest run and every run's time.
func bestOf(_ runs: Int, _ path: String, traces: TraceRegistry, label: String) -> (best: ParseRun, times: [Double]) {
    var best: ParseRun?
    var times: [Double] = []
    for k in 1...runs {
        let run = ParseRun.parse(path, traces: traces)
        note("\(label) run \(k)/\(runs): \(format(run.seconds, 3)) s, \(run.events) events, \(run.unparsed) unparsed")
        times.append(run.seconds)
        if best == nil || run.seconds < best!.seconds { best = run }
    }
    return (best!, times)
}

/// `kib` KiB as MiB with one decimal.
func mib(_ kib: Int?) -> String { kib.map { format(Double($0) / 1024, 1) + " MiB" } ?? "unknown" }

if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "diagnose" {
    runDiagnoseBench(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let options = BenchOptions(Array(CommandLine.arguments.dropFirst()))
let path = options.path
let fresh = ensureTrace(options)
let gzPath = path + ".gz"
if options.gzip {
    let stale = fresh || (Measure.modified(gzPath) ?? 0) < (Measure.modified(path) ?? .max) || (Measure.fileSize(gzPath) ?? 0) == 0
    if stale {
        note("compressing with gzip -1 ...")
        let t = Measure.timeShell("gzip -1 -c \(Measure.shellQuoted(path)) > \(Measure.shellQuoted(gzPath + ".partial")) && mv \(Measure.shellQuoted(gzPath + ".partial")) \(Measure.shellQuoted(gzPath))")
        note("wrote \(gzPath) (\(Measure.fileSize(gzPath) ?? 0) bytes) in \(format(t, 1)) s")
    } else {
        note("reusing \(gzPath)")
    }
}
if options.onlyGenerate { exit(0) }

let fileBytes = Measure.fileSize(path) ?? 0
let traces = TraceRegistry()
let resetWorks = Measure.resetPeakResident()
let plain = bestOf(options.runs, path, traces: traces, label: "plain")
let plainPeak = Measure.peakResidentKiB()

var gz: (best: ParseRun, times: [Double])?
var zcatBest = Double.infinity
var gzPeak: Int?
if options.gzip {
    Measure.resetPeakResident()
    gz = bestOf(options.runs, gzPath, traces: traces, label: "gzip")
    gzPeak = Measure.peakResidentKiB()
    for k in 1...options.runs {
        let t = Measure.timeShell("zcat \(Measure.shellQuoted(gzPath)) > /dev/null")
        note("zcat run \(k)/\(options.runs): \(format(t, 3)) s")
        zcatBest = min(zcatBest, t)
    }
}

let mb = Double(fileBytes) / 1e6
let p = plain.best
print("netcheck-bench: trace \(format(mb, 1)) MB (\(p.statistics.lines) lines), strace -f -tt -T -yy style; MB = 10^6 bytes")
print("parse plain : best \(format(p.seconds, 2)) s  \(format(mb / p.seconds, 1)) MB/s  events \(p.events)  unparsed \(p.unparsed)"
      + "  (runs: \(plain.times.map { format($0, 2) }.joined(separator: " ")))")
if let gz {
    let g = gz.best
    print("parse gzip  : best \(format(g.seconds, 2)) s  \(format(mb / g.seconds, 1)) MB/s of uncompressed text"
          + "  (zcat alone: \(format(zcatBest, 2)) s; ratio \(format(g.seconds / zcatBest, 2))x)"
          + "  .gz \(format(Double(Measure.fileSize(gzPath) ?? 0) / 1e6, 1)) MB  events \(g.events)  unparsed \(g.unparsed)")
}
var memory = "peak memory : \(mib(plainPeak)) (VmHWM, plain parse)"
if options.gzip { memory += ", \(mib(gzPeak)) (gzip parse)" }
if !resetWorks { memory += "; VmHWM could not be reset, so it includes writing the trace" }
print(memory)

let problems = p.samples.isEmpty ? (gz?.best.samples ?? []) : p.samples
if !problems.isEmpty {
    print("unparsed lines (first \(problems.count)):")
    for s in problems {
        print("  line \(s.line):\(s.column): \(s.reason)")
        print("    \(s.text)")
    }
}
if p.unparsed > 0 || (gz?.best.unparsed ?? 0) > 0 { exit(2) }
