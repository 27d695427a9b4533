import IR

/// A trace as the diagnosis reports it.
public struct TraceDescription: Sendable, Hashable {
    public var id: TraceID
    /// The path as written in the configuration or on the command line.
    public var path: String
    public var name: String?
    public var host: HostIndex
    public var platform: Platform

    public init(id: TraceID, path: String, name: String? = nil, host: HostIndex, platform: Platform) {
        self.id = id
        self.path = path
        self.name = name
        self.host = host
        self.platform = platform
    }

    /// The file name, without directories.
    public var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// Everything one run of the engine found: the input as understood, the flagged calls, the
/// diagnoses, traffic statistics and how the ordering went.
public struct Diagnosis: Sendable {
    public var configuration: Configuration
    public var traces: [TraceDescription]
    public var hosts: [HostSummary]
    /// Flagged calls in trace and line order (bounded: see ``findingsOmitted``).
    public var findings: [Finding]
    /// Findings left out of ``findings`` once a code had many, by code.
    public var findingsOmitted: [String: Int]
    /// Diagnoses, most severe first.
    public var problems: [Problem]
    public var statistics: TrafficStatistics
    public var ordering: OrderingSummary
    public var counters: ModelCounters

    /// The trace with an id.
    public func trace(_ id: TraceID) -> TraceDescription? { traces.first { $0.id == id } }

    /// Whether any problem is at or above `severity` (the exit status of `diagnose` and `batch`).
    public func hasProblems(atLeast severity: Severity) -> Bool {
        problems.contains { $0.severity >= severity && !Problem.notFaults.contains($0.rule) }
    }
}

/// Runs the engine: ordering with the network model, then the diagnosis rules.
public enum Diagnoser {

    public static func run(configuration: Configuration, traces: [TraceDescription], feeds: [TraceFeed],
                           options: DiagnosisOptions = DiagnosisOptions(),
                           observe: ((OrderedCall) -> Void)? = nil) throws -> Diagnosis {
        var platforms: [Platform] = []
        for index in configuration.hosts.indices {
            platforms.append(configuration.hosts[index].platform ?? traces.first { $0.host == index }?.platform ?? .linux)
        }
        let model = NetworkModel(configuration: configuration, platforms: platforms)
        var orderer = Orderer(model: model, feeds: feeds, observe: observe)
        try orderer.run()
        var kept = orderer.findings
        var omitted: [String: Int] = [:]
        for (code, count) in orderer.findingCounts where count > Orderer.findingsPerCode {
            omitted[code] = count - Orderer.findingsPerCode
        }
        kept.sort { ($0.call.trace, $0.call.line) < ($1.call.trace, $1.call.line) }
        var hostOf: [TraceID: HostIndex] = [:]
        for trace in traces { hostOf[trace.id] = trace.host }
        let context = DiagnosisContext(model: orderer.model, findings: kept, options: options, hostOf: hostOf)
        var problems = DiagnosisRules.all.flatMap { $0.evaluate(context) }
        if !problems.contains(where: { !Problem.notFaults.contains($0.rule) }) {
            problems.append(Problem(rule: "no_network_fault", severity: .info, traces: traces.map(\.id),
                                    message: "the traces show no network misbehaviour: every call fits the model of an ideal network"
                                        + (kept.contains { $0.severity == .error } ? " apart from the flagged calls" : "")))
        }
        let ranked = problems.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
        return Diagnosis(configuration: configuration, traces: traces, hosts: orderer.model.hostSummaries,
                         findings: kept, findingsOmitted: omitted, problems: ranked,
                         statistics: orderer.model.statistics, ordering: orderer.summary, counters: orderer.model.counters)
    }
}
