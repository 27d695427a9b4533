/// Turns IR values into their JSON Lines form (see ``IRSchema``).
public enum IREncoder {
    /// One line (without the newline) for a trace announcement.
    public static func line(for record: TraceRecord) -> [UInt8] {
        var members: [(String, JSONValue)] = [
            ("netcheck_ir", .int(IRSchema.version)), ("trace", .int(Int64(record.id.index))),
            ("path", .string(record.info.path)), ("format", .string(record.info.format)),
            ("platform", .string(record.info.platform.rawValue)),
        ]
        if let p = record.info.filePID { members.append(("file_pid", .int(Int64(p)))) }
        var w = JSONWriter()
        w.write(.object(members))
        return w.bytes
    }

    /// One line (without the newline) for an event.
    public static func line(for event: Event) -> [UInt8] {
        var w = JSONWriter()
        w.write(json(event))
        return w.bytes
    }

    public static func json(_ e: Event) -> JSONValue {
        var m: [(String, JSONValue)] = [("trace", .int(Int64(e.trace.index))), ("line", .int(Int64(e.lines.first)))]
        if let r = e.lines.resumed { m.append(("resumed_line", .int(Int64(r)))) }
        m += frame(e.frame)
        switch e.kind {
        case .syscall(let s):
            m.append(("type", .string("syscall")))
            m += call(name: s.name, written: s.writtenName, args: s.arguments)
            switch s.outcome {
            case .returned(let r): m.append(("result", result(r)))
            case .detached: m.append(("outcome", .string("detached")))
            case .neverReturned: m.append(("outcome", .string("never_returned")))
            }
            if let sp = s.split {
                var o: [(String, JSONValue)] = []
                switch sp.shape {
                case .unfinished(let k, let trailer, let lead):
                    o = [("shape", .string("unfinished")), ("args_at_entry", .int(Int64(k))),
                         ("entry_trailer", .string(trailer)), ("resume_lead", .string(lead))]
                case .spliced(let length, let message):
                    o = [("shape", .string("spliced")), ("head_length", .int(Int64(length))), ("message", .string(message))]
                case .resumedOnly(let lead):
                    o = [("shape", .string("resumed_only")), ("resume_lead", .string(lead))]
                }
                o.append(("resumed_frame", .object(frame(sp.resumedFrame))))
                m.append(("split", .object(o)))
            }
        case .callStart(let c):
            m.append(("type", .string("call_start")))
            m += call(name: c.name, written: c.writtenName, args: c.arguments)
            m.append(("entry_trailer", .string(c.entryTrailer)))
            if let marker = c.marker { m.append(("marker", .string(marker))) }
            if let sp = c.splice { m += [("splice_head", .string(sp.head)), ("splice_message", .string(sp.message))] }
        case .signal(let s):
            m.append(("type", .string("signal")))
            m.append(("signal", .string(s.name)))
            if let info = s.info { m.append(("info", .string(info))) }
            m.append(("text", .string(s.text)))
        case .exit(let x):
            m.append(("type", .string("exit")))
            switch x.cause {
            case .exited(let status): m.append(("status", .int(Int64(status))))
            case .killed(let sig, let core):
                m.append(("killed_by", .string(sig)))
                if core { m.append(("core_dumped", .bool(true))) }
            case .superseded(let pid): m.append(("superseded_by", .int(Int64(pid))))
            case .other: break
            }
            m.append(("text", .string(x.text)))
        case .message(let msg):
            m.append(("type", .string("message")))
            m.append(("text", .string(msg.text)))
        case .unparsed(let u):
            m.append(("type", .string("unparsed")))
            m.append(("reason", .string(u.reason)))
            m.append(("column", .int(Int64(u.column))))
            if let s = String(validating: u.bytes, as: UTF8.self) {
                m.append(("bytes", .string(s)))
            } else {
                m.append(("bytes_latin1", .string(IRSchema.latin1(u.bytes))))
            }
        }
        if !e.continuation.isEmpty {
            m.append(("continuation", .array(e.continuation.map {
                .object([("kind", .string($0.kind.rawValue)), ("text", .string($0.text))])
            })))
        }
        if let raw = e.raw { m.append(("raw", .string(raw))) }
        return .object(m)
    }

    static func frame(_ f: LineFrame) -> [(String, JSONValue)] {
        var m: [(String, JSONValue)] = []
        if let p = f.pid { m.append(("pid", .int(Int64(p)))) }
        if let l = f.lwp { m.append(("lwp", .int(l))) }
        if let t = f.time {
            m.append(("time", .object([("kind", .string(t.kind.rawValue)), ("ns", .int(t.nanoseconds)), ("text", .string(t.text))])))
        }
        if let p = f.prefixText { m.append(("prefix", .string(p))) }
        if let i = f.infix { m.append(("infix", .string(i))) }
        if let g = f.resultGap { m.append(("result_gap", .int(Int64(g)))) }
        return m
    }

    static func call(name: String, written: String, args: [Argument]) -> [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("name", .string(name))]
        if written != name { m.append(("written_name", .string(written))) }
        m.append(("args", .array(args.map { a in
            var o: [(String, JSONValue)] = [("value", value(a.value))]
            if let t = a.text { o.append(("text", .string(String(t)))) }
            return .object(o)
        })))
        return m
    }

    static func result(_ r: CallResult) -> JSONValue {
        var m: [(String, JSONValue)] = []
        switch r.value {
        case .integer(let v): m.append(("value", .int(v)))
        case .hex(let v): m.append(("value_hex", .string(IRSchema.hexText(v))))
        case .descriptor(let d): m.append(("fd", descriptor(d)))
        case .unknown: m.append(("value", .null))
        }
        if let t = r.valueText { m.append(("text", .string(t))) }
        if let e = r.error {
            m.append(("errno", .string(e.name)))
            if let n = e.number { m.append(("errno_number", .int(Int64(n)))) }
        }
        if let msg = r.errorMessage { m.append(("error_message", .string(msg))) }
        if let d = r.detail { m.append(("detail", .string(d))) }
        if r.injected { m.append(("injected", .bool(true))) }
        if let d = r.duration { m.append(("duration", .object([("ns", .int(d.nanoseconds)), ("text", .string(d.text))]))) }
        return .object(m)
    }

    static func descriptor(_ d: Descriptor) -> JSONValue {
        var m: [(String, JSONValue)] = [("n", .int(Int64(d.number)))]
        if let info = d.info {
            m.append(("info", .string(info.text)))
            if let s = info.socket {
                var so: [(String, JSONValue)] = [("proto", .string(s.proto))]
                if let i = s.inode { so.append(("inode", .int(Int64(bitPattern: i)))) }
                if let l = s.local { so.append(("local", .string(l.description))) }
                if let p = s.peer { so.append(("peer", .string(p.description))) }
                m.append(("socket", .object(so)))
            }
        }
        return .object(m)
    }

    static func address(_ a: SocketAddress) -> JSONValue {
        var m: [(String, JSONValue)] = [("family", .string(a.familyName))]
        switch a {
        case .inet(let ip, let port):
            m += [("ip", .string(ip.description)), ("port", .int(Int64(port)))]
        case .inet6(let ip, let port, let flow, let scope):
            m += [("ip", .string(ip.description)), ("port", .int(Int64(port))),
                  ("flowinfo", .int(Int64(flow))), ("scope_id", .int(Int64(scope)))]
        case .unix(let path, let abstract):
            m.append(("path", .string(IRSchema.latin1(path))))
            if abstract { m.append(("abstract", .bool(true))) }
        case .netlink(let pid, let groups):
            m += [("nl_pid", .int(Int64(pid))), ("nl_groups", .int(Int64(groups)))]
        case .other: break
        }
        return .object(m)
    }

    public static func value(_ v: Value) -> JSONValue {
        switch v {
        case .integer(let i): return .object([("int", .int(i))])
        case .hex(let h): return .object([("hex", .string(IRSchema.hexText(h)))])
        case .null: return .object([("null", .bool(true))])
        case .descriptor(let d): return .object([("fd", descriptor(d))])
        case .address(let a): return .object([("addr", address(a))])
        case .symbol(let s): return .object([("sym", .string(s))])
        case .flags(let items): return .object([("flags", .array(items.map(value)))])
        case .bytes(let b):
            var m: [(String, JSONValue)] = [("bytes", .string(IRSchema.latin1(b.bytes)))]
            if b.truncated { m.append(("truncated", .bool(true))) }
            return .object(m)
        case .structure(let fields):
            return .object([("struct", .array(fields.map { f in
                var o: [(String, JSONValue)] = []
                if let n = f.name { o.append(("name", .string(n))) }
                o.append(("value", value(f.value)))
                return .object(o)
            }))])
        case .array(let items): return .object([("array", .array(items.map(value)))])
        case .call(let name, let args): return .object([("call", .string(name)), ("args", .array(args.map(value)))])
        case .elided: return .object([("elided", .bool(true))])
        case .commented(let inner, let comment): return .object([("commented", value(inner)), ("comment", .string(comment))])
        case .raw(let s): return .object([("raw", .string(s))])
        }
    }
}
