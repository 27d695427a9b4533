import Engine
import IR

/// The JSON result of `netcheck diagnose --format json` (docs/json-report.md): the contract of
/// PRODUCT.md (`findings`, `problems`) plus the configuration as understood, how the ordering went,
/// traffic statistics and what the model set aside.
public enum JSONReport {
    /// Version of the report's shape; bumped on incompatible changes.
    public static let schemaVersion: Int64 = 1

    public static func render(_ diagnosis: Diagnosis, version: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value(diagnosis, version: version))
        writer.bytes.append(0x0A)
        return writer.bytes
    }

    public static func value(_ d: Diagnosis, version: String) -> JSONValue {
        func traceName(_ id: TraceID) -> String { d.trace(id)?.fileName ?? "trace\(id.index)" }
        func call(_ ref: CallRef) -> JSONValue {
            .object([("trace", .string(traceName(ref.trace))), ("line", .int(Int64(ref.line))),
                     ("lines", .array(ref.lines.map { .int(Int64($0)) })), ("syscall", .string(ref.name))])
        }
        let findings: [JSONValue] = d.findings.map { f in
            var fields: [(String, JSONValue)] = [
                ("trace", .string(traceName(f.call.trace))),
                ("path", .string(d.trace(f.call.trace)?.path ?? "")),
                ("host", .string(d.trace(f.call.trace).map { d.hosts[$0.host].name } ?? "")),
                ("line", .int(Int64(f.call.line))),
                ("lines", .array(f.call.lines.map { .int(Int64($0)) })),
                ("syscall", .string(f.call.name)),
                ("code", .string(f.code)),
                ("severity", .string(f.severity.rawValue)),
                ("message", .string(f.message)),
            ]
            if let pid = f.call.pid { fields.append(("pid", .int(Int64(pid)))) }
            if let fix = f.fix { fields.append(("fix", .string(fix))) }
            return .object(fields)
        }
        let problems: [JSONValue] = d.problems.map { p in
            var fields: [(String, JSONValue)] = [
                ("rule", .string(p.rule)),
                ("severity", .string(p.severity.rawValue)),
                ("traces", .array(p.traces.map { .string(traceName($0)) })),
                ("message", .string(p.message)),
                ("evidence", .array(p.evidence.map(call))),
            ]
            if let fix = p.fix { fields.append(("fix", .string(fix))) }
            return .object(fields)
        }
        let hosts: [JSONValue] = d.hosts.enumerated().map { index, host in
            let spec = index < d.configuration.hosts.count ? d.configuration.hosts[index] : nil
            let declared = Set(spec?.addresses.map(\.description) ?? [])
            return .object([
                ("name", .string(host.name)),
                ("platform", .string(host.platform.rawValue)),
                ("addresses", .array(host.addresses.filter { declared.contains($0.description) }.map { .string($0.description) })),
                ("learned_addresses", .array(host.addresses.filter { !declared.contains($0.description) }.map { .string($0.description) })),
                ("nat", .array((spec?.nats ?? []).map { nat in
                    .object([("private", .string(nat.privateAddress.description + (nat.privatePort.map { ",\($0)" } ?? ""))),
                             ("public", .string(nat.publicAddress.description + (nat.publicPort.map { ",\($0)" } ?? "")))])
                })),
                ("traces", .array(d.traces.filter { $0.host == index }.map { t in
                    .object([("file", .string(t.fileName)), ("path", .string(t.path)), ("name", t.name.map { .string($0) } ?? .null),
                             ("platform", .string(t.platform.rawValue))])
                })),
            ])
        }
        let configuration: JSONValue = .object([
            ("path", d.configuration.path.map { .string($0) } ?? .null),
            ("ignore", .array(d.configuration.ignored.map { .string($0.address.description + ($0.port.map { ",\($0)" } ?? "")) })),
            ("hosts", .array(hosts)),
        ])
        let ordering: JSONValue = .object([
            ("calls_ordered", .int(Int64(d.ordering.simulated))),
            ("rejections", .int(Int64(d.ordering.rejections))),
            ("stalls", .int(Int64(d.ordering.stalls))),
            ("complete", .bool(d.ordering.stalls == 0)),
            ("stalled_at", .array(d.ordering.stallExamples.map(call))),
        ])
        func direction(_ x: TrafficStatistics.Direction, tcp: Bool) -> JSONValue {
            var fields: [(String, JSONValue)] = [("bytes_sent", .int(Int64(x.bytesSent))),
                                                 ("bytes_received", .int(Int64(x.bytesReceived))),
                                                 ("bytes_lost", .int(Int64(x.bytesLost)))]
            if !tcp {
                fields += [("datagrams_sent", .int(Int64(x.datagramsSent))), ("datagrams_received", .int(Int64(x.datagramsReceived))),
                           ("datagrams_lost", .int(Int64(x.datagramsLost)))]
            }
            return .object(fields)
        }
        let flows: [JSONValue] = d.statistics.sorted.map { flow in
            let tcp = flow.key.transport == "tcp"
            return .object([
                ("transport", .string(flow.key.transport)),
                ("client", .string(flow.key.client)),
                ("server", .string(flow.key.server)),
                ("connections", .int(Int64(flow.connections))),
                ("client_traces", .array(flow.clientTraces.sorted().map { .string(traceName($0)) })),
                ("server_traces", .array(flow.serverTraces.sorted().map { .string(traceName($0)) })),
                ("to_server", direction(flow.forward, tcp: tcp)),
                ("to_client", direction(flow.backward, tcp: tcp)),
            ])
        }
        let c = d.counters
        let model: JSONValue = .object([
            ("sockets", .int(Int64(c.socketsCreated))),
            ("non_network_calls", .int(Int64(c.nonNetworkCalls))),
            ("calls_on_other_descriptors", .int(Int64(c.callsOnOtherDescriptors))),
            ("calls_on_non_inet_sockets", .int(Int64(c.nonInternetSocketCalls))),
            ("calls_never_returned", .int(Int64(c.unreturnedCalls))),
            ("calls_restarted", .int(Int64(c.interruptedCalls))),
            ("calls_with_untraced_peers", .int(Int64(c.externalCalls))),
            ("calls_with_ignored_peers", .int(Int64(c.ignoredPeerCalls))),
        ])
        return .object([
            ("netcheck", .object([("version", .string(version)), ("schema", .int(schemaVersion))])),
            ("configuration", configuration),
            ("ordering", ordering),
            ("findings", .array(findings)),
            ("findings_omitted", .object(d.findingsOmitted.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("problems", .array(problems)),
            ("statistics", .object([("flows", .array(flows))])),
            ("model", model),
        ])
    }
}
