import Engine
import IR

/// The report for a person at a terminal, in the paper's three parts: the flagged calls, the
/// traffic statistics, and the diagnoses (most important first).
public enum TextReport {
    public static func render(_ d: Diagnosis) -> String {
        func traceName(_ id: TraceID) -> String { d.trace(id)?.fileName ?? "trace\(id.index)" }
        var out = ""
        let notable = d.findings.filter { $0.severity != .info }
        out += "Flagged calls (\(notable.count)" + (d.findings.count > notable.count ? ", plus \(d.findings.count - notable.count) routine" : "") + ")\n"
        for f in notable {
            let host = d.trace(f.call.trace).map { d.hosts[$0.host].name } ?? "?"
            out += "  \(host) \(traceName(f.call.trace)):\(f.call.line) \(f.call.name) => \(f.code) [\(f.severity.rawValue)]\n"
            out += "      \(f.message)\n"
            if let fix = f.fix { out += "      fix: \(fix)\n" }
        }
        out += "\nTraffic\n"
        if d.statistics.flows.isEmpty { out += "  (no traffic between traced sockets)\n" }
        for flow in d.statistics.sorted {
            out += "  \(flow.key.transport.uppercased()) \(flow.key.client) -> \(flow.key.server)"
            out += flow.key.transport == "tcp" ? " (\(flow.connections) connection(s))\n" : "\n"
            for (label, x) in [("to server", flow.forward), ("to client", flow.backward)] where x.bytesSent > 0 || x.datagramsSent > 0 {
                out += "    \(label): \(x.bytesSent) bytes sent, \(x.bytesReceived) received, \(x.bytesLost) lost"
                if flow.key.transport == "udp" { out += "; \(x.datagramsSent) datagrams sent, \(x.datagramsReceived) received, \(x.datagramsLost) lost" }
                out += "\n"
            }
        }
        out += "\nDiagnosis\n"
        for p in d.problems {
            out += "  [\(p.severity.rawValue)] \(p.rule): \(p.message)\n"
            if !p.traces.isEmpty { out += "      traces: \(p.traces.map(traceName).joined(separator: ", "))\n" }
            if let fix = p.fix { out += "      fix: \(fix)\n" }
        }
        if d.ordering.stalls > 0 {
            out += "\nOrdering: \(d.ordering.stalls) call(s) could not be placed by the model and were placed where nothing else could run.\n"
        }
        return out
    }
}
