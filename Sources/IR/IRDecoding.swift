/// Why an IR JSON line could not be read: what was expected, and where in the line.
public struct IRDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var expected: String
    public init(column: Int = 1, expected: String) { self.column = column; self.expected = expected }
    public var description: String { "expected \(expected)" }
}

/// Reads IR JSON Lines back into IR values (the inverse of ``IREncoder``).
public enum IRDecoder {
    /// Decodes one line; `traces` maps the stream's trace numbers to the ids of the caller's table.
    public static func record(fromLine bytes: some Collection<UInt8>, traces: [Int: TraceID]) throws(IRDecodingError) -> IRRecord {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch { throw IRDecodingError(column: error.column, expected: error.expected) }
        guard case .object = json else { throw IRDecodingError(expected: "a JSON object per line") }
        if let version = json["netcheck_ir"] {
            guard let v = version.int, v >= 1, v <= IRSchema.version else {
                throw IRDecodingError(expected: "IR schema version 1...\(IRSchema.version) in \"netcheck_ir\"")
            }
            let id = try int(json, "trace")
            let platformName = json["platform"]?.string ?? "unknown"
            guard let platform = Platform(rawValue: platformName) else { throw IRDecodingError(expected: "a known \"platform\"") }
            let info = TraceInfo(path: try string(json, "path"), format: json["format"]?.string ?? "ir",
                                 platform: platform, filePID: json["file_pid"]?.int.map { Int32(truncatingIfNeeded: $0) })
            return .trace(TraceRecord(id: TraceID(Int(id)), info: info))
        }
        let number = Int(try int(json, "trace"))
        guard let trace = traces[number] else {
            throw IRDecodingError(expected: "a trace record for trace \(number) before its events")
        }
        return .event(try event(json, trace: trace))
    }

    static func int(_ o: JSONValue, _ key: String) throws(IRDecodingError) -> Int64 {
        guard let v = o[key]?.int else { throw IRDecodingError(expected: "an integer \"\(key)\"") }
        return v
    }

    static func string(_ o: JSONValue, _ key: String) throws(IRDecodingError) -> String {
        guard let v = o[key]?.string else { throw IRDecodingError(expected: "a string \"\(key)\"") }
        return v
    }

    static func int32(_ o: JSONValue, _ key: String) throws(IRDecodingError) -> Int32 {
        let v = try int(o, key)
        guard let n = Int32(exactly: v) else { throw IRDecodingError(expected: "a 32-bit \"\(key)\"") }
        return n
    }

    static func event(_ j: JSONValue, trace: TraceID) throws(IRDecodingError) -> Event {
        let first = Int(try int(j, "line"))
        let resumed = j["resumed_line"]?.int.map { Int($0) }
        let continuation = try (j["continuation"]?.array ?? []).map { (c: JSONValue) throws(IRDecodingError) -> Continuation in
            guard let kind = Continuation.Kind(rawValue: try string(c, "kind")) else {
                throw IRDecodingError(expected: "a continuation kind (stack_frame, data_dump, detail)")
            }
            return Continuation(kind: kind, text: try string(c, "text"))
        }
        let lines = SourceLines(first: first, resumed: resumed, continuationCount: continuation.count)
        let kind: Event.Kind
        switch try string(j, "type") {
        case "syscall":
            let (name, written, args) = try call(j)
            let outcome: CallOutcome
            if let r = j["result"] {
                outcome = .returned(try result(r))
            } else {
                switch j["outcome"]?.string {
                case "detached": outcome = .detached
                case "never_returned": outcome = .neverReturned
                default: throw IRDecodingError(expected: "a \"result\" or an \"outcome\" (detached, never_returned)")
                }
            }
            var split: CallSplit?
            if let sp = j["split"] {
                let shape: CallSplit.Shape
                switch sp["shape"]?.string {
                case "unfinished":
                    let k = Int(try int(sp, "args_at_entry"))
                    guard k <= args.count else {
                        throw IRDecodingError(expected: "\"args_at_entry\" no larger than the number of arguments")
                    }
                    shape = .unfinished(argumentsAtEntry: k, entryTrailer: try string(sp, "entry_trailer"),
                                        resumeLead: try string(sp, "resume_lead"))
                case "spliced":
                    shape = .spliced(headLength: Int(try int(sp, "head_length")), message: try string(sp, "message"))
                case "resumed_only":
                    shape = .resumedOnly(resumeLead: try string(sp, "resume_lead"))
                default:
                    throw IRDecodingError(expected: "a split \"shape\" (unfinished, spliced, resumed_only)")
                }
                split = CallSplit(shape: shape, resumedFrame: try frame(sp["resumed_frame"] ?? .object([])))
            }
            kind = .syscall(Syscall(name: name, writtenName: written, arguments: args, outcome: outcome, split: split))
        case "call_start":
            let (name, written, args) = try call(j)
            kind = .callStart(CallStart(name: name, writtenName: written, arguments: args,
                                        entryTrailer: j["entry_trailer"]?.string ?? "", marker: j["marker"]?.string,
                                        splice: j["splice_head"]?.string.map { ($0, j["splice_message"]?.string ?? "") }))
        case "signal":
            kind = .signal(SignalDelivery(name: try string(j, "signal"), info: j["info"]?.string, text: try string(j, "text")))
        case "exit":
            let cause: ProcessExit.Cause
            if let s = j["status"]?.int { cause = .exited(status: Int32(truncatingIfNeeded: s)) }
            else if let sig = j["killed_by"]?.string { cause = .killed(signal: sig, coreDumped: j["core_dumped"]?.bool ?? false) }
            else if let p = j["superseded_by"]?.int { cause = .superseded(byPID: Int32(truncatingIfNeeded: p)) }
            else { cause = .other }
            kind = .exit(ProcessExit(cause: cause, text: try string(j, "text")))
        case "message":
            kind = .message(TracerMessage(text: try string(j, "text")))
        case "unparsed":
            let bytes: [UInt8]
            if let s = j["bytes"]?.string { bytes = Array(s.utf8) }
            else if let s = j["bytes_latin1"]?.string, let b = IRSchema.bytes(fromLatin1: s) { bytes = b }
            else { throw IRDecodingError(expected: "\"bytes\" or \"bytes_latin1\" in an unparsed event") }
            kind = .unparsed(Unparsed(bytes: bytes, reason: j["reason"]?.string ?? "", column: Int(j["column"]?.int ?? 1)))
        case let other:
            throw IRDecodingError(expected: "an event type (syscall, call_start, signal, exit, message, unparsed), not \"\(other)\"")
        }
        return Event(trace: trace, lines: lines, frame: try frame(j), kind: kind, continuation: continuation,
                     raw: j["raw"]?.string)
    }

    static func frame(_ j: JSONValue) throws(IRDecodingError) -> LineFrame {
        var f = LineFrame()
        if j["pid"] != nil { f.pid = try int32(j, "pid") }
        f.lwp = j["lwp"]?.int
        if let t = j["time"] {
            guard let kind = Timestamp.Kind(rawValue: try string(t, "kind")) else {
                throw IRDecodingError(expected: "a time kind (time_of_day, epoch, relative, since_start)")
            }
            let ns = try int(t, "ns")
            f.time = t["text"]?.string.map { Timestamp(kind: kind, nanoseconds: ns, text: $0) }
                ?? Timestamp(kind: kind, nanoseconds: ns)
        }
        f.prefixText = j["prefix"]?.string
        f.infix = j["infix"]?.string
        f.resultGap = j["result_gap"]?.int.map { Int($0) }
        return f
    }

    static func call(_ j: JSONValue) throws(IRDecodingError) -> (String, String, [Argument]) {
        let name = try string(j, "name")
        guard let rawArgs = j["args"]?.array else { throw IRDecodingError(expected: "an array \"args\"") }
        var args: [Argument] = []
        for a in rawArgs {
            guard let v = a["value"] else { throw IRDecodingError(expected: "a \"value\" in every argument") }
            args.append(Argument(try value(v), text: a["text"]?.string.map { Substring($0) }))
        }
        return (name, j["written_name"]?.string ?? name, args)
    }

    static func result(_ j: JSONValue) throws(IRDecodingError) -> CallResult {
        let value: CallResult.ReturnValue
        if let fd = j["fd"] { value = .descriptor(try descriptor(fd)) }
        else if let h = j["value_hex"]?.string { value = .hex(try hex(h)) }
        else if let v = j["value"]?.int { value = .integer(v) }
        else { value = .unknown }
        var error: ErrorCode?
        if let name = j["errno"]?.string {
            error = ErrorCode(name: name, number: j["errno_number"]?.int.map { Int32(truncatingIfNeeded: $0) })
        }
        var duration: CallResult.Duration?
        if let d = j["duration"] { duration = .init(nanoseconds: try int(d, "ns"), text: try string(d, "text")) }
        return CallResult(value: value, valueText: j["text"]?.string, error: error, errorMessage: j["error_message"]?.string,
                          detail: j["detail"]?.string, injected: j["injected"]?.bool ?? false, duration: duration)
    }

    static func hex(_ s: String) throws(IRDecodingError) -> UInt64 {
        guard s.hasPrefix("0x"), let v = UInt64(s.dropFirst(2), radix: 16) else {
            throw IRDecodingError(expected: "a hex number like \"0x1f\"")
        }
        return v
    }

    static func descriptor(_ j: JSONValue) throws(IRDecodingError) -> Descriptor {
        var d = Descriptor(number: try int32(j, "n"))
        if let text = j["info"]?.string {
            var socket: SocketInfo?
            if let s = j["socket"] {
                socket = SocketInfo(proto: try string(s, "proto"), inode: s["inode"]?.int.map { UInt64(bitPattern: $0) },
                                    local: s["local"]?.string.flatMap { Endpoint($0) },
                                    peer: s["peer"]?.string.flatMap { Endpoint($0) })
            }
            d.info = DescriptorInfo(text: text, socket: socket)
        }
        return d
    }

    static func address(_ j: JSONValue) throws(IRDecodingError) -> SocketAddress {
        let family = try string(j, "family")
        func port() throws(IRDecodingError) -> UInt16 {
            guard let p = UInt16(exactly: try int(j, "port")) else { throw IRDecodingError(expected: "a port 0-65535") }
            return p
        }
        switch family {
        case "AF_INET":
            guard let ip = IPv4Address(try string(j, "ip")) else { throw IRDecodingError(expected: "an IPv4 \"ip\"") }
            return .inet(ip, port: try port())
        case "AF_INET6":
            guard let ip = IPv6Address(try string(j, "ip")) else { throw IRDecodingError(expected: "an IPv6 \"ip\"") }
            return .inet6(ip, port: try port(), flowInfo: UInt32(truncatingIfNeeded: j["flowinfo"]?.int ?? 0),
                          scopeID: UInt32(truncatingIfNeeded: j["scope_id"]?.int ?? 0))
        case "AF_UNIX":
            guard let path = IRSchema.bytes(fromLatin1: try string(j, "path")) else {
                throw IRDecodingError(expected: "a Latin-1 \"path\"")
            }
            return .unix(path: path, abstract: j["abstract"]?.bool ?? false)
        case "AF_NETLINK":
            return .netlink(pid: UInt32(truncatingIfNeeded: try int(j, "nl_pid")),
                            groups: UInt32(truncatingIfNeeded: try int(j, "nl_groups")))
        default:
            return .other(family: family)
        }
    }

    public static func value(_ j: JSONValue) throws(IRDecodingError) -> Value {
        guard case .object(let members) = j, let (key, payload) = members.first else {
            throw IRDecodingError(expected: "a value object such as {\"int\":3}")
        }
        switch key {
        case "int":
            guard let i = payload.int else { throw IRDecodingError(expected: "an integer in \"int\"") }
            return .integer(i)
        case "hex": return .hex(try hex(payload.string ?? ""))
        case "null": return .null
        case "fd": return .descriptor(try descriptor(payload))
        case "addr": return .address(try address(payload))
        case "sym": return .symbol(payload.string ?? "")
        case "flags": return .flags(try (payload.array ?? []).map { (x: JSONValue) throws(IRDecodingError) in try value(x) })
        case "bytes":
            guard let b = IRSchema.bytes(fromLatin1: payload.string ?? "") else {
                throw IRDecodingError(expected: "Latin-1 text in \"bytes\" (one code point per byte)")
            }
            return .bytes(Buffer(bytes: b, truncated: j["truncated"]?.bool ?? false))
        case "struct":
            return .structure(try (payload.array ?? []).map { (f: JSONValue) throws(IRDecodingError) -> Field in
                guard let v = f["value"] else { throw IRDecodingError(expected: "a \"value\" in every field") }
                return Field(name: f["name"]?.string, value: try value(v))
            })
        case "array": return .array(try (payload.array ?? []).map { (x: JSONValue) throws(IRDecodingError) in try value(x) })
        case "call":
            return .call(payload.string ?? "", try (j["args"]?.array ?? []).map { (x: JSONValue) throws(IRDecodingError) in try value(x) })
        case "elided": return .elided
        case "commented": return .commented(try value(payload), comment: j["comment"]?.string ?? "")
        case "raw": return .raw(payload.string ?? "")
        default: throw IRDecodingError(expected: "a value kind (int, hex, null, fd, addr, sym, flags, bytes, struct, array, call, elided, commented, raw), not \"\(key)\"")
        }
    }
}
