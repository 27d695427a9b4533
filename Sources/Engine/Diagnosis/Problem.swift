import IR

/// A high-level diagnosis (the paper's Table 2 and beyond): what went wrong, which traces show it,
/// the calls that are the evidence and, where one exists, the fix.
public struct Problem: Sendable, Hashable {
    /// A snake_case id from corpus/VOCABULARY.md (docs/vocabulary.md lists netcheck's additions).
    public var rule: String
    public var severity: Severity
    public var traces: [TraceID]
    /// One or two sentences a person understands.
    public var message: String
    /// The calls that show it (bounded).
    public var evidence: [CallRef]
    public var fix: String?

    public init(rule: String, severity: Severity, traces: [TraceID], message: String, evidence: [CallRef] = [], fix: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.traces = Array(Set(traces)).sorted()
        self.message = message
        self.evidence = Array(evidence.prefix(20))
        self.fix = fix
    }

    /// Rules that describe the run but are not network faults.
    public static let notFaults: Set<String> = [
        "no_network_fault", "nat_traversal", "ipv4_mapped_ipv6_peer", "unspecified_address_peer", "ip_version_mismatch",
        "buffer_size_exceeded", "unhandled_socket_options", "model_incomplete",
    ]
}

/// Tunable thresholds of the diagnosis rules.
public struct DiagnosisOptions: Sendable, Hashable {
    /// The fraction of datagrams that must be lost before `datagram_loss` is reported.
    public var datagramLossThreshold: Double = 0.05
    public init(datagramLossThreshold: Double = 0.05) { self.datagramLossThreshold = datagramLossThreshold }
}

/// What a diagnosis rule reads: the model's final state and evidence, and the run's findings.
public struct DiagnosisContext {
    public let model: NetworkModel
    public let findings: [Finding]
    public let options: DiagnosisOptions
    /// The host each trace ran on.
    public let hostOf: [TraceID: HostIndex]
    var evidence: Evidence { model.evidence }

    /// A host's name.
    public func hostName(_ host: HostIndex) -> String { model.hosts[host].name }
    func traces(of host: HostIndex) -> [TraceID] { hostOf.filter { $0.value == host }.map(\.key).sorted() }
}

/// A rule of the diagnoses engine. Add one by writing a type in `Diagnosis/Rules/` and listing it in
/// ``DiagnosisRules/all``.
public protocol DiagnosisRule: Sendable {
    func evaluate(_ context: DiagnosisContext) -> [Problem]
}
