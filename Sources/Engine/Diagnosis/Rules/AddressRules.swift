import IR

/// Rule 6: a trace talks only to peers outside the traced hosts (a proxy, or the wrong server).
struct NoRelevantTrafficRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence
        let traces = e.externalTraffic.filter { $0.value > 0 && (e.tracedTraffic[$0.key] ?? 0) == 0 }.map(\.key).sorted()
        guard !traces.isEmpty, e.tracedTraffic.values.contains(where: { $0 > 0 }) || context.hostOf.count > 1 else { return [] }
        return [Problem(rule: "no_relevant_traffic", severity: .warning, traces: traces,
                        message: "\(traces.count) trace(s) exchange data only with peers outside the traced hosts: a proxy, a NAT not declared, or the wrong server",
                        fix: "Check the address the client uses; declare proxies and NATs in the configuration.")]
    }
}

/// Portability notes on addresses: unspecified peers, IPv4-mapped peers and IPv4-mapped on the wire.
struct AddressPortabilityRule: DiagnosisRule {
    func evaluate(_ context: DiagnosisContext) -> [Problem] {
        let e = context.evidence
        var problems: [Problem] = []
        if !e.unspecifiedPeers.isEmpty {
            problems.append(Problem(rule: "unspecified_address_peer", severity: .warning, traces: e.unspecifiedPeers.items.map(\.call.trace),
                                    message: e.unspecifiedPeers.items[0].text + " uses the unspecified address as a peer: Linux takes it as this host, Windows and others refuse it",
                                    evidence: e.unspecifiedPeers.items.map(\.call), fix: "Use 127.0.0.1 (or ::1) or the server's real address."))
        }
        if !e.mappedPeers.isEmpty {
            problems.append(Problem(rule: "ipv4_mapped_ipv6_peer", severity: .info, traces: e.mappedPeers.items.map(\.call.trace),
                                    message: e.mappedPeers.items[0].text, evidence: e.mappedPeers.items.map(\.call)))
        }
        if !e.mappedOnWire.isEmpty {
            problems.append(Problem(rule: "ipv4_mapped_on_wire", severity: .warning, traces: e.mappedOnWire.items.map(\.call.trace),
                                    message: e.mappedOnWire.items[0].text + "; such addresses only work where dual-stack sockets are allowed",
                                    evidence: e.mappedOnWire.items.map(\.call), fix: "Use an AF_INET socket for IPv4 peers, or set IPV6_V6ONLY and handle both families."))
        }
        if !e.unhandledOptions.isEmpty {
            problems.append(Problem(rule: "unhandled_socket_options", severity: .info, traces: e.unhandledOptions.items.map(\.trace),
                                    message: "\(e.unhandledOptions.count) socket option call(s) use options the model does not handle; they are accepted as logged",
                                    evidence: e.unhandledOptions.items))
        }
        return problems
    }
}
