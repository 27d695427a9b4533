import IR

/// Traffic per TCP connection and per UDP flow (part 2 of the paper's report).
///
/// Connections between the same two endpoints-by-role are aggregated into one flow, so the table
/// grows with the number of distinct flows, not with the number of connections.
public struct TrafficStatistics: Sendable {
    /// The key of a flow: who started it, towards which address.
    public struct FlowKey: Sendable, Hashable, Comparable {
        public var transport: String
        public var client: String
        public var server: String
        public static func < (a: FlowKey, b: FlowKey) -> Bool { (a.transport, a.client, a.server) < (b.transport, b.client, b.server) }
    }

    /// Counts of one direction of a flow.
    public struct Direction: Sendable, Hashable {
        public var bytesSent = 0
        public var bytesReceived = 0
        public var bytesLost = 0
        public var datagramsSent = 0
        public var datagramsReceived = 0
        public var datagramsLost = 0
    }

    public struct Flow: Sendable, Hashable {
        public var key: FlowKey
        public var connections = 0
        /// Client to server, and server to client.
        public var forward = Direction()
        public var backward = Direction()
        /// The traces on each side.
        public var clientTraces: Set<TraceID> = []
        public var serverTraces: Set<TraceID> = []
    }

    public private(set) var flows: [FlowKey: Flow] = [:]

    mutating func update(_ key: FlowKey, _ body: (inout Flow) -> Void) {
        var flow = flows[key] ?? Flow(key: key)
        body(&flow)
        flows[key] = flow
    }

    /// The flows in a stable order.
    public var sorted: [Flow] { flows.values.sorted { $0.key < $1.key } }
}
