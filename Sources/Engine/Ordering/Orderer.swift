import IR

/// One trace as the engine reads it: its events, streamed, and where it ran.
public struct TraceFeed {
    public var trace: TraceID
    public var host: HostIndex
    /// The next event of the trace, nil at its end.
    public var next: () throws -> Event?

    public init(trace: TraceID, host: HostIndex, next: @escaping () throws -> Event?) {
        self.trace = trace
        self.host = host
        self.next = next
    }
}

/// A call placed in the reconstructed global order.
public struct OrderedCall: Sendable {
    public var call: CallRef
    public var host: HostIndex
    /// Findings the call produced.
    public var findings: [Finding]
    /// The call could not be explained at any point and was placed when nothing else could run.
    public var forced: Bool
    /// Calls on other traces that were tried before this one and had to wait for it or later calls.
    public var waitedOn: [CallRef]
}

/// How the ordering went: how many calls it placed and where it got stuck.
public struct OrderingSummary: Sendable {
    /// Calls simulated (network calls on sockets), and calls the model set aside.
    public var simulated = 0
    public var rejections = 0
    /// Times no top call could proceed; the first few, with the call placed anyway.
    public var stalls = 0
    public var stallExamples: [CallRef] = []
}

/// The trace-ordering algorithm (the paper's Algorithm 2), streaming.
///
/// Only the top network call of each trace is held. Each step tries the top calls in priority
/// order (``CallKind/priority``) and places the first the model accepts. When none can be placed
/// the paper stops with an order error; netcheck instead places the call whose rejection is the
/// most likely deviation (a harmless one first, then the highest priority), records why, and goes
/// on, so one fault does not hide the rest of the run. Calls that only touch their own process
/// (descriptor bookkeeping, non-socket descriptors, non-network calls) are handled as they are read.
struct Orderer {
    var model: NetworkModel
    var feeds: [TraceFeed]
    var summary = OrderingSummary()
    var findings: [Finding] = []
    private var tops: [NetworkModel.Call?]
    /// The priority of each trace's top call (kept apart so sorting does not copy calls).
    private var priorities: [Int]
    private var finished: [Bool]
    private var lastRejected: [CallRef?]
    let observe: ((OrderedCall) -> Void)?

    init(model: NetworkModel, feeds: [TraceFeed], observe: ((OrderedCall) -> Void)?) {
        self.model = model
        self.feeds = feeds
        self.tops = Array(repeating: nil, count: feeds.count)
        self.priorities = Array(repeating: 0, count: feeds.count)
        self.finished = Array(repeating: false, count: feeds.count)
        self.lastRejected = Array(repeating: nil, count: feeds.count)
        self.observe = observe
    }

    mutating func run() throws {
        var order = Array(feeds.indices)
        while true {
            for i in feeds.indices where tops[i] == nil && !finished[i] { try fill(i) }
            order.removeAll(keepingCapacity: true)
            for i in feeds.indices where tops[i] != nil { order.append(i) }
            if order.isEmpty { break }
            if order.count > 1 {
                order.sort { (priorities[$0], $0) < (priorities[$1], $1) }
            }
            var placed = false
            var candidates: [(Int, Finding?)] = []
            for i in order {
                let call = tops[i]!
                switch model.simulate(call, force: false) {
                case .accepted(let found):
                    record(call, found, forced: false, waited: candidates.map { tops[$0.0]!.ref })
                    tops[i] = nil
                    placed = true
                case .rejected(let reason):
                    summary.rejections += 1
                    candidates.append((i, reason))
                }
                if placed { break }
            }
            if placed { continue }
            // Nothing can proceed: place the most plausible deviation and go on.
            let choice = candidates.first(where: { $0.1 == nil }) ?? candidates[0]
            let call = tops[choice.0]!
            summary.stalls += 1
            if summary.stallExamples.count < 20 { summary.stallExamples.append(call.ref) }
            if case .accepted(let found) = model.simulate(call, force: true) {
                record(call, found, forced: true, waited: [])
            }
            tops[choice.0] = nil
        }
        model.finish()
    }

    /// Findings kept per code; the rest are counted, so memory does not grow with the trace.
    static let findingsPerCode = 500
    private(set) var findingCounts: [String: Int] = [:]

    private mutating func record(_ call: NetworkModel.Call, _ found: [Finding], forced: Bool, waited: [CallRef]) {
        summary.simulated += 1
        for finding in found {
            findingCounts[finding.code, default: 0] += 1
            if findingCounts[finding.code]! <= Self.findingsPerCode { findings.append(finding) }
        }
        observe?(OrderedCall(call: call.ref, host: call.host, findings: found, forced: forced, waitedOn: waited))
    }

    /// Reads trace `i` until its next call that competes with other traces.
    private mutating func fill(_ i: Int) throws {
        while let event = try feeds[i].next() {
            switch event.kind {
            case .callStart(let start):
                noteStart(start, event: event, space: feeds[i].trace)
            case .syscall(let syscall):
                let thread = ThreadKey(trace: feeds[i].trace, pid: event.frame.pid ?? -1)
                if event.lines.resumed != nil { model.blocked[thread] = nil }
                guard case .returned(let result) = syscall.outcome else { model.counters.unreturnedCalls += 1; continue }
                guard let kind = CallKind(name: syscall.name) else { model.counters.nonNetworkCalls += 1; continue }
                if let error = result.error, error.isRestart { model.counters.interruptedCalls += 1; continue }
                let call = NetworkModel.Call(syscall: syscall, kind: kind, ref: CallRef(event, syscall), host: feeds[i].host, space: feeds[i].trace)
                if competes(call) {
                    priorities[i] = kind.priority
                    tops[i] = call
                    return
                }
                if case .accepted(let found) = model.simulate(call, force: true), !found.isEmpty || observe != nil {
                    record(call, found, forced: false, waited: [])
                }
            default:
                continue
            }
        }
        finished[i] = true
    }

    /// Whether a call touches state other traces share, so it must wait its turn.
    private func competes(_ call: NetworkModel.Call) -> Bool {
        switch call.kind {
        case .exitProcess: return model.exitClosesSockets(call)
        case .poll, .select:
            guard let detail = call.syscall.result?.detail else { return false }
            return NetworkModel.readableDescriptors(in: detail, kind: call.kind).contains { model.socket(for: call, descriptor: $0) != nil }
        case .epollWait: return false
        default:
            if call.kind.isLocal { return false }
            return model.touchesSocket(call)
        }
    }

    /// The entry half of a split call: remember what a blocked thread waits on.
    private mutating func noteStart(_ start: CallStart, event: Event, space: TraceID) {
        guard let kind = CallKind(name: start.name), kind.isReceive || kind == .accept || kind == .connect || kind.isSend else { return }
        guard let first = start.arguments.first, let fd = first.value.integerValue.flatMap({ Int32(exactly: $0) }) else { return }
        let ref = CallRef(trace: event.trace, line: event.lines.first, pid: event.frame.pid, name: start.writtenName)
        let probe = NetworkModel.Call(syscall: Syscall(name: start.name, arguments: start.arguments, outcome: .neverReturned),
                                      kind: kind, ref: ref, host: 0, space: space)
        guard let socket = model.socket(for: probe, descriptor: fd) else { return }
        model.blocked[ThreadKey(trace: space, pid: event.frame.pid ?? -1)] = (socket, ref)
    }
}
