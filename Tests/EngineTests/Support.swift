import Engine
import IR
import Parsers

/// Runs the engine on traces written inline: each host is a list of (file name, strace text).
func diagnose(_ hosts: [[(String, String)]], config: String? = nil, platform: Platform? = nil,
              options: DiagnosisOptions = DiagnosisOptions()) throws -> Diagnosis {
    var configuration: Configuration
    if let config {
        configuration = try ConfigParser.parse(config, path: "test.conf")
    } else {
        configuration = Configuration(hosts: hosts.enumerated().map { index, traces in
            HostSpec(name: "h\(index)", traces: traces.map { TraceSpec(path: $0.0) }, platform: platform)
        })
    }
    let texts = Dictionary(uniqueKeysWithValues: hosts.flatMap { $0 })
    return try run(configuration, platform: platform, options: options) { spec, registry in
        try TraceInput.open(source: MemorySource(texts[spec.writtenPath] ?? "", path: spec.writtenPath), traces: registry,
                            options: ReadOptions(platform: platform))
    }
}

/// Opens every trace of a configuration with `open` and runs the engine on them.
func run(_ configuration: Configuration, platform: Platform? = nil, options: DiagnosisOptions = DiagnosisOptions(),
         open: (TraceSpec, TraceRegistry) throws -> any EventReader) throws -> Diagnosis {
    let registry = TraceRegistry()
    var descriptions: [TraceDescription] = []
    var feeds: [TraceFeed] = []
    for (hostIndex, host) in configuration.hosts.enumerated() {
        for spec in host.traces {
            let reader = try open(spec, registry)
            let id = TraceID(registry.table.count - 1)
            descriptions.append(TraceDescription(id: id, path: spec.writtenPath, host: hostIndex, platform: platform ?? .linux))
            feeds.append(TraceFeed(trace: id, host: hostIndex, next: { try reader.next() }))
        }
    }
    return try Diagnoser.run(configuration: configuration, traces: descriptions, feeds: feeds, options: options)
}

extension Diagnosis {
    /// Codes of the findings on a trace line.
    func codes(_ trace: String, line: Int) -> Set<String> {
        Set(findings.filter { self.trace($0.call.trace)?.fileName == trace && $0.call.lines.contains(line) }.map(\.code))
    }
    var rules: Set<String> { Set(problems.map(\.rule)) }
    func problem(_ rule: String) -> Problem? { problems.first { $0.rule == rule } }
    func traceNames(of problem: Problem) -> Set<String> { Set(problem.traces.compactMap { self.trace($0)?.fileName }) }
}

/// A TCP server on 10.0.0.1:80 that accepts one connection and echoes one message.
let echoServer = """
socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
listen(3, 5) = 0
accept(3, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr("10.0.0.2")}, [16]) = 4
recv(4, "ping", 100, 0) = 4
send(4, "pong", 4, 0) = 4
close(4) = 0
close(3) = 0
"""

/// The matching client on 10.0.0.2.
let echoClient = """
socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3
connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.1")}, 16) = 0
send(3, "ping", 4, 0) = 4
recv(3, "pong", 100, 0) = 4
recv(3, "", 100, 0) = 0
close(3) = 0
"""

let twoHostConfig = """
host server
 trace server.strace
 ip 10.0.0.1
host client
 trace client.strace
 ip 10.0.0.2
"""
