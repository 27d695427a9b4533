import IR

/// poll, select and epoll: a descriptor reported readable must have something to read in the model
/// (data, end of file, a pending connection, an error); otherwise the call waits for it.
extension NetworkModel {
    mutating func simulateReadiness(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard c.errorName == nil, let detail = c.result?.detail, (c.returnValue ?? 0) > 0 else { return .accepted([]) }
        let readable = Self.readableDescriptors(in: detail, kind: call.kind)
        for fd in readable {
            guard let id = socket(for: call, descriptor: fd), let s = sockets[id], s.isModelled else { continue }
            if hasSomethingToRead(s) { continue }
            let reason = finding(call, "NETWORK_ERROR", .error,
                                 "\(call.ref.name) reports descriptor \(fd) readable but nothing has arrived for it in the model")
            if !force { return .rejected(reason: reason) }
            return .accepted([reason])
        }
        return .accepted([])
    }

    func hasSomethingToRead(_ s: ModelSocket) -> Bool {
        if s.shutRead || s.pendingError != nil { return true }
        switch s.phase {
        case .listening:
            return !s.backlog.isEmpty || lateConnector(to: s.id, where: { !$0.closed }) != nil
        case .connected(let cid), .connecting(_, .some(let cid)):
            guard let connection = connections[cid] else { return true }
            let stream = connection.client == s.id ? connection.toClient : connection.toServer
            return stream.inFlight > 0 || stream.finished || connection.resetBy != nil
        case .connecting(let target, nil):
            return listener(for: target, from: s.host).listener == nil
        case .fresh:
            return s.transport != .datagram || !s.queue.isEmpty
        case .failed, .external:
            return true
        }
    }

    /// The descriptors a poll/select result reports readable: `[{fd=3, revents=POLLIN}]`,
    /// `(in [3 4], left {...})`.
    static func readableDescriptors(in detail: String, kind: CallKind) -> [Int32] {
        var result: [Int32] = []
        let bytes = Array(detail.utf8)
        func number(at start: Int) -> (Int32, Int)? {
            var i = start, value: Int32 = 0, digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value &* 10 &+ Int32(bytes[i] - 0x30); i += 1; digits += 1
            }
            return digits > 0 ? (value, i) : nil
        }
        if kind == .poll {
            var i = 0
            while i + 3 < bytes.count {
                if bytes[i] == UInt8(ascii: "f"), bytes[i + 1] == UInt8(ascii: "d"), bytes[i + 2] == UInt8(ascii: "="),
                   let (fd, end) = number(at: i + 3) {
                    var j = end
                    while j < bytes.count, bytes[j] != UInt8(ascii: "}") { j += 1 }
                    let entry = String(decoding: bytes[end..<j], as: UTF8.self)
                    if entry.contains("POLLIN") || entry.contains("POLLRDNORM") { result.append(fd) }
                    i = j
                } else { i += 1 }
            }
        } else if kind == .select {
            var i = 0
            while i + 3 < bytes.count, !(bytes[i] == UInt8(ascii: "i") && bytes[i + 1] == UInt8(ascii: "n")
                                        && bytes[i + 2] == UInt8(ascii: " ") && bytes[i + 3] == UInt8(ascii: "[")) { i += 1 }
            guard i + 3 < bytes.count else { return [] }
            i += 4
            while i < bytes.count, bytes[i] != UInt8(ascii: "]") {
                if let (fd, end) = number(at: i) { result.append(fd); i = end } else { i += 1 }
            }
        }
        return result
    }
}
