import ArgumentParser
import Engine
import Exporters
import IR
import Parsers

/// `netcheck diagnose`: reconstructs a global order of the traces' calls against the network
/// model and reports the flagged calls and the diagnoses.
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnose network problems from the traces of the hosts involved.",
        discussion: """
            Give a NetCheck configuration file (host blocks with trace, ip and nat lines; see \
            docs/configuration.md), or the traces themselves: each trace is then its own host (or all \
            one host with --same-host) and addresses are inferred from the calls. Exit status: 0 when \
            no problem at or above --fail-on is found, 1 when one is, 2 on usage errors, 65 for a \
            malformed configuration or trace, 66 when an input cannot be opened.
            """)

    @ArgumentParser.Argument(help: "A configuration file, or trace files (plain, gzip, '-ff' sets, directories).")
    var inputs: [String]

    @Option(help: "Output format: text or json.")
    var format = "text"

    @Option(name: .shortAndLong, help: "Write the report here instead of standard output.")
    var output: String?

    @Option(help: "Input format of the traces: auto (sniff the content), \(FrontEnds.all.map { $0.name }.joined(separator: ", ")).")
    var from = "auto"

    @Flag(help: "Without a configuration: put all traces on one host.")
    var sameHost = false

    @Option(help: "Platform the traces were recorded on, unless the configuration says (linux, freebsd, macos, solaris, windows).")
    var platform: String?

    @Option(help: "Fraction of lost datagrams that counts as datagram loss.")
    var lossThreshold = 0.05

    @Option(help: "Exit 1 when a problem of this severity or worse is found: error, warning, or never.")
    var failOn = "error"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("unknown --format '\(format)'; expected text or json") }
        guard ["error", "warning", "never"].contains(failOn) else { throw ValidationError("unknown --fail-on '\(failOn)'; expected error, warning or never") }
        if let p = platform, Platform(userName: p) == nil {
            throw ValidationError("unknown --platform '\(p)'; expected one of " + Platform.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard lossThreshold >= 0 && lossThreshold <= 1 else { throw ValidationError("--loss-threshold must be between 0 and 1") }
    }

    func run() throws {
        let configuration = try loadConfiguration()
        let defaultPlatform = platform.flatMap(Platform.init(userName:))
        let registry = TraceRegistry()
        var descriptions: [TraceDescription] = []
        var feeds: [TraceFeed] = []
        var readers: [(String, any EventReader)] = []
        for (hostIndex, host) in configuration.hosts.enumerated() {
            for spec in host.traces {
                let tracePlatform = spec.platform ?? host.platform ?? defaultPlatform
                let set: TraceSet
                do { set = try TraceSet.expand([spec.path]) } catch { throw Failure(message: error.description, code: .noInput) }
                for group in set.groups {
                    var groupReaders: [any EventReader] = []
                    for path in group {
                        let before = registry.table.count
                        do {
                            groupReaders.append(try TraceInput.open(path, format: from, traces: registry,
                                                                    options: ReadOptions(platform: tracePlatform)))
                        } catch {
                            throw Failure(message: error.description, code: error.kind == .cannotOpen ? .noInput : .dataError)
                        }
                        for index in before..<registry.table.count {
                            let id = TraceID(index)
                            let written = group.count == 1 ? spec.writtenPath : path
                            descriptions.append(TraceDescription(id: id, path: written, name: spec.name, host: hostIndex,
                                                                 platform: tracePlatform ?? registry[id].platform))
                        }
                    }
                    let reader: any EventReader
                    do { reader = groupReaders.count == 1 ? groupReaders[0] : try MergedReader(groupReaders) } catch {
                        throw Failure(message: error.description, code: .dataError)
                    }
                    readers.append((group.count == 1 ? group[0] : "\(group.count) files of \(spec.path)", reader))
                    let first = descriptions.last?.id ?? TraceID(0)
                    let filePIDs = Dictionary(uniqueKeysWithValues: descriptions.suffix(group.count).map { ($0.id, registry[$0.id].filePID) })
                    feeds.append(TraceFeed(trace: first, host: hostIndex, next: {
                        guard var event = try reader.next() else { return nil }
                        if event.frame.pid == nil, let pid = filePIDs[event.trace] ?? nil { event.frame.pid = pid }
                        return event
                    }))
                }
            }
        }
        let diagnosis: Diagnosis
        do {
            diagnosis = try Diagnoser.run(configuration: configuration, traces: descriptions, feeds: feeds,
                                          options: DiagnosisOptions(datagramLossThreshold: lossThreshold))
        } catch let error as InputError {
            throw Failure(message: error.description, code: .dataError)
        }
        for (name, reader) in readers {
            let stats = reader.statistics
            if stats.unparsed > 0, let first = stats.firstUnparsed {
                printError("netcheck: \(name): \(stats.unparsed) of \(stats.lines) lines could not be parsed and were skipped "
                           + "(first at line \(first.line), column \(first.column): \(first.reason))")
            }
        }
        let sink = try OutputSink(path: output)
        switch format {
        case "json": try sink.write(JSONReport.render(diagnosis, version: Netcheck.version))
        default: try sink.write(Array(TextReport.render(diagnosis).utf8))
        }
        try sink.close()
        if failOn != "never", diagnosis.hasProblems(atLeast: failOn == "warning" ? .warning : .error) {
            throw ExitCode(1)
        }
    }

    /// The configuration file named on the command line, or one host per trace (or one for all).
    private func loadConfiguration() throws -> Configuration {
        if inputs.count == 1, inputs[0] != "-", let text = Self.configurationText(inputs[0]) {
            do { return try ConfigParser.parse(text, path: inputs[0]) } catch { throw Failure(message: error.description, code: .dataError) }
        }
        if sameHost {
            return Configuration(hosts: [HostSpec(name: "host", traces: inputs.map { TraceSpec(path: $0) })])
        }
        return Configuration(hosts: inputs.map { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return HostSpec(name: name, traces: [TraceSpec(path: path)])
        })
    }

    /// The text of `path` when it reads as a configuration rather than a trace.
    static func configurationText(_ path: String) -> String? {
        guard var source = try? InputOpener.open(path) else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < 1 << 20 {
            let n = (try? chunk.withUnsafeMutableBytes { try source.read(into: $0) }) ?? 0
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        if let (_, confidence) = FrontEnds.sniff(Array(bytes.prefix(TraceInput.sniffBytes))), confidence >= 0.5 { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if word.isEmpty || word.hasPrefix("#") { continue }
            return ["host", "ignore"].contains(word.lowercased()) ? text : nil
        }
        return nil
    }
}
