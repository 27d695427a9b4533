import ArgumentParser
import Exporters
import IR
import Parsers

/// `netcheck convert`: reads traces in any known format and writes them in another.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert traces between formats (strace, IR JSON Lines).",
        discussion: """
            Inputs may be files, gzip files, '-' for standard input, or a directory / set of \
            'strace -ff' files (NAME.PID), which are merged in timestamp order. Lines that cannot \
            be parsed are kept (as 'unparsed' IR events, or verbatim in strace output) and counted \
            on standard error; --strict makes the first one an error (exit 65).
            """)

    @ArgumentParser.Argument(help: "Trace files, directories, or '-' for standard input.")
    var inputs: [String]

    @Option(help: "Input format: auto (sniff the content), \(FrontEnds.all.map { $0.name }.joined(separator: ", ")).")
    var from = "auto"

    @Option(help: "Output format: \(TraceRenderers.all.map { $0.name }.joined(separator: ", ")).")
    var to = "ir"

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Option(help: "Platform the traces were recorded on, when the format does not say (linux, freebsd, macos, solaris, ...).")
    var platform: String?

    @Flag(help: "Fail (exit 65) at the first line that cannot be parsed.")
    var strict = false

    @Option(help: "Longest line accepted, in bytes; longer lines are reported, not loaded.")
    var maxLineBytes = 16 << 20

    func validate() throws {
        guard from == "auto" || FrontEnds.named(from) != nil else {
            throw ValidationError("unknown --from '\(from)'; expected auto, " + FrontEnds.all.map { $0.name }.joined(separator: ", "))
        }
        guard TraceRenderers.named(to) != nil else {
            throw ValidationError("unknown --to '\(to)'; expected " + TraceRenderers.all.map { $0.name }.joined(separator: ", "))
        }
        if let p = platform, Platform(userName: p) == nil {
            throw ValidationError("unknown --platform '\(p)'; expected one of " + Platform.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let options = ReadOptions(platform: platform.flatMap(Platform.init(userName:)))
        let set: TraceSet
        do { set = try TraceSet.expand(inputs) } catch { throw Failure(message: error.description, code: .noInput) }
        let sink = try OutputSink(path: output)
        var renderer = TraceRenderers.named(to)!.init()
        let registry = TraceRegistry()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for group in set.groups {
            var readers: [any EventReader] = []
            for path in group {
                do {
                    readers.append(try TraceInput.open(path, format: from, traces: registry, options: options,
                                                       maxLineLength: maxLineBytes))
                } catch {
                    throw Failure(message: error.description, code: error.kind == .cannotOpen ? .noInput : .dataError)
                }
            }
            if group.count > 1, var strace = renderer as? StraceRenderer {
                strace.pidPrefixes = true
                renderer = strace
            }
            let reader: any EventReader
            do {
                reader = readers.count == 1 ? readers[0] : try MergedReader(readers)
                while let event = try reader.next() {
                    if strict, case .unparsed(let u) = event.kind {
                        try sink.write(buffer)
                        let path = registry[event.trace].path
                        throw Failure(message: "\(path):\(event.lines.first):\(u.column): \(u.reason)", code: .dataError)
                    }
                    renderer.render(event, info: registry[event.trace], into: &buffer)
                    if buffer.count >= 1 << 20 {
                        try sink.write(buffer)
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
            } catch let error as InputError {
                try sink.write(buffer)
                throw Failure(message: error.description, code: .dataError)
            }
            let stats = reader.statistics
            if stats.unparsed > 0, let first = stats.firstUnparsed {
                let what = group.count == 1 ? group[0] : "\(group.count) files"
                printError("netcheck: \(what): \(stats.unparsed) of \(stats.lines) lines could not be parsed and are kept as they were "
                           + "(first at line \(first.line), column \(first.column): \(first.reason))")
            }
        }
        renderer.finish(into: &buffer)
        try sink.write(buffer)
        try sink.close()
    }
}
