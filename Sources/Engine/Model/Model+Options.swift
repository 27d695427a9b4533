import IR

/// setsockopt/getsockopt, fcntl/ioctl flags, getsockname/getpeername.
extension NetworkModel {
    /// The integer an option value carries (`[1]`, `1`, `{onoff=1, linger=0}` has none).
    static func optionInteger(_ value: Value?) -> Int64? { value?.integers.first }

    mutating func simulateSetOption(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id] else { return .accepted([]) }
        guard s.isModelled else { counters.nonInternetSocketCalls += 1; return .accepted([]) }
        let level = c.names(1).first ?? c.integer(1).map { "level \($0)" } ?? "?"
        let option = c.names(2).first ?? c.integer(2).map { "option \($0)" } ?? "?"
        let value = c.argument(3)
        if let error = c.errorName {
            return .accepted([explained(call, .warning, "setsockopt(\(level), \(option)) failed with \(error) where the model expects it to succeed",
                                        fix: option == "SO_LINGER" ? "Systems differ on which SO_LINGER values they take; check the result and do not depend on it." : nil)])
        }
        var findings: [Finding] = []
        let number = Self.optionInteger(value)
        switch option {
        case "SO_REUSEADDR": s.options.reuseAddress = (number ?? 1) != 0
        case "SO_REUSEPORT": s.options.reusePort = (number ?? 1) != 0
        case "SO_BROADCAST": s.options.broadcast = (number ?? 1) != 0
        case "IPV6_V6ONLY": s.options.v6Only = (number ?? 1) != 0
        case "SO_RCVBUF", "SO_RCVBUFFORCE": s.options.receiveBuffer = number.map { Int($0) }
        case "SO_SNDBUF", "SO_SNDBUFFORCE": s.options.sendBuffer = number.map { Int($0) }
        case "SO_RCVTIMEO", "SO_RCVTIMEO_OLD", "SO_RCVTIMEO_NEW": s.options.receiveTimeout = true
        case "SO_KEEPALIVE": s.options.keepAlive = (number ?? 1) != 0
        case "TCP_NODELAY": s.options.noDelay = (number ?? 1) != 0
        case "SO_OOBINLINE": s.options.outOfBandInline = (number ?? 1) != 0
        case "SO_LINGER":
            let on = (value?.field("onoff") ?? value?.field("l_onoff"))?.integerValue ?? 0
            let seconds = (value?.field("linger") ?? value?.field("l_linger"))?.integerValue ?? 0
            s.options.linger = (on != 0, Int(seconds))
        case "SO_SNDTIMEO", "SO_SNDTIMEO_OLD", "SO_SNDTIMEO_NEW", "SO_PRIORITY", "SO_DONTROUTE", "SO_MARK",
             "IP_TOS", "IP_TTL", "IP_MULTICAST_TTL", "IP_MULTICAST_LOOP", "IP_MULTICAST_IF", "IP_ADD_MEMBERSHIP",
             "IP_DROP_MEMBERSHIP", "IPV6_JOIN_GROUP", "IPV6_LEAVE_GROUP", "IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP",
             "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_LOOP", "IPV6_MULTICAST_IF", "IP_RECVERR", "IPV6_RECVERR",
             "IP_MTU_DISCOVER", "IPV6_MTU_DISCOVER", "IP_PKTINFO", "IPV6_RECVPKTINFO", "IP_RECVTOS", "IPV6_TCLASS",
             "IPV6_RECVTCLASS", "IP_FREEBIND", "IP_TRANSPARENT", "IP_BIND_ADDRESS_NO_PORT",
             "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_CORK", "TCP_QUICKACK", "TCP_USER_TIMEOUT",
             "TCP_FASTOPEN", "TCP_FASTOPEN_CONNECT", "TCP_CONGESTION", "TCP_DEFER_ACCEPT", "TCP_MAXSEG",
             "TCP_NOTSENT_LOWAT", "TCP_ULP", "SO_TIMESTAMP", "SO_TIMESTAMPNS", "SO_ZEROCOPY", "SO_INCOMING_CPU",
             "SO_BINDTODEVICE", "SO_PASSCRED", "SO_RCVLOWAT", "SO_SNDLOWAT", "SO_NOSIGPIPE", "SO_BUSY_POLL":
            break
        default:
            evidence.unhandledOptions.add(call.ref)
            findings.append(finding(call, level.hasPrefix("SOL_") || level.hasPrefix("IPPROTO_") ? "NOT_HANDLE_OPTION" : "UNKNOWN_LEVEL", .info,
                                    "the model does not handle \(level)/\(option); the call is accepted as logged"))
        }
        s.lastUse = call.ref
        sockets[id] = s
        return .accepted(findings)
    }

    mutating func simulateGetOption(_ call: Call, force: Bool) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), let s = sockets[id] else { return .accepted([]) }
        guard s.isModelled, c.errorName == nil else { return .accepted([]) }
        let option = c.names(2).first ?? ""
        let number = Self.optionInteger(c.argument(3))
        switch option {
        case "SO_ERROR":
            guard case .connecting(let target, let pending) = s.phase else { return .accepted([]) }
            let reported = c.argument(3)?.flagNames.first ?? (number == 0 ? nil : number.map { "error \($0)" })
            if reported == nil || number == 0 {
                if pending != nil {
                    sockets[id]?.phase = .connected(pending!)
                    return .accepted([])
                }
                let found = listener(for: target, from: s.host)
                if let l = found.listener {
                    let cid = enqueue(client: id, listener: l, destination: target, call: call, nat: found.nat)
                    sockets[id]?.phase = .connected(cid)
                    return .accepted([])
                }
                if found.outside { sockets[id]?.phase = .external(target); return .accepted([]) }
                let reason = finding(call, "UNEXPECTED_RETURN_VALUE", .error, "SO_ERROR reports the connect to \(target) succeeded, but no traced socket listens there")
                if !force { return .rejected(reason: reason) }
                sockets[id]?.phase = .external(target)
                evidence.unfinishedNonBlockingConnects.add(.init(call: call.ref, host: s.host, target: target, error: "no listener"))
                return .accepted([reason])
            }
            if reported == "ECONNREFUSED" || number == 111 { return refusedLater(call, id: id) }
            sockets[id]?.phase = .failed(reason: reported ?? "error")
            evidence.failedConnects.add(.init(call: call.ref, host: s.host, target: target, error: reported ?? "error"))
            return .accepted([finding(call, reported ?? "UNEXPECTED_RETURN_VALUE", .warning, "the non-blocking connect to \(target) failed (\(reported ?? "?"))")])
        case "SO_SNDBUF": if let n = number { sockets[id]?.options.sendBuffer = max(Int(n), s.options.sendBuffer ?? 0) }
        case "SO_RCVBUF": if let n = number { sockets[id]?.options.receiveBuffer = max(Int(n), s.options.receiveBuffer ?? 0) }
        default: break
        }
        return .accepted([])
    }

    mutating func simulateFcntl(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), let s = sockets[id] else { return .accepted([]) }
        let command = c.names(1).first ?? ""
        if let error = c.errorName {
            guard s.isModelled else { return .accepted([]) }
            return .accepted([explained(call, .warning, "fcntl(\(command)) failed with \(error) where the model expects it to succeed")])
        }
        switch command {
        case "F_SETFL":
            sockets[id]?.nonBlocking = c.names(2).contains("O_NONBLOCK") || (c.integer(2).map { $0 & 0o4000 != 0 } ?? false)
        case "F_DUPFD", "F_DUPFD_CLOEXEC":
            if let fd = c.returnValue.flatMap({ Int32(exactly: $0) }) {
                if let old = processes.set(call.process, fd, id), old != id { release(old, at: call) }
                sockets[id]?.references += 1
            }
        default: break
        }
        return .accepted([])
    }

    mutating func simulateIoctl(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), c.errorName == nil else { return .accepted([]) }
        if c.names(1).contains("FIONBIO") {
            sockets[id]?.nonBlocking = (Self.optionInteger(c.argument(2)) ?? 1) != 0
        }
        return .accepted([])
    }

    mutating func simulateSocketName(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), var s = sockets[id], s.isModelled,
              c.errorName == nil, let endpoint = c.socketAddress?.endpoint else { return .accepted([]) }
        if s.localPort == nil, endpoint.port != 0 { setPort(endpoint.port, of: &s) }
        if s.localAddress == nil || (s.localAddress!.isUnspecified && !endpoint.address.isUnspecified && !s.isListening && !s.boundExplicitly) {
            s.localAddress = endpoint.address
        }
        learn(endpoint.address, for: call.host)
        sockets[id] = s
        return .accepted([])
    }

    mutating func simulatePeerName(_ call: Call) -> Outcome {
        let c = call.syscall
        guard let id = socket(for: call, descriptor: c.descriptor()), let s = sockets[id], s.isModelled else { return .accepted([]) }
        if let error = c.errorName {
            return .accepted([explained(call, error == "ENOTCONN" ? .info : .warning, "getpeername failed with \(error)")])
        }
        return .accepted([])
    }
}
