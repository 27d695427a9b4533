import IR

/// Writes IR events as strace text.
///
/// Layout the strace front end recorded (process prefixes, `-n`/`-i` columns, result alignment,
/// split calls) is reproduced exactly, so strace → IR → strace gives back the same bytes. Events
/// from other formats are written in strace 6's own style.
public struct StraceRenderer: TraceRenderer {
    public static let name = "strace"
    /// The column strace aligns ` = result` to (its `-a` default).
    public static let resultColumn = 40

    /// Write a `PID  ` prefix on lines that had none (merging `strace -ff` files into one trace).
    public var pidPrefixes = false

    public init() {}

    public mutating func render(_ event: Event, info: TraceInfo, into out: inout [UInt8]) {
        let native = info.format == Self.name
        var line: [UInt8] = []
        switch event.kind {
        case .syscall(let call):
            renderCall(call, event: event, native: native, into: &out)
        case .callStart(let start):
            frame(event.frame, native: native, into: &line)
            if let splice = start.splice {
                line += splice.head.utf8
                line += splice.message.utf8
            } else {
                line += start.writtenName.utf8
                line.append(0x28)
                arguments(start.arguments[...], into: &line)
                line += start.entryTrailer.utf8
                line += " \(start.marker ?? "<unfinished ...>")".utf8
            }
            emit(line, into: &out)
        case .signal(let s):
            frame(event.frame, native: native, into: &line)
            line += "--- \(s.text) ---".utf8
            emit(line, into: &out)
        case .exit(let x):
            frame(event.frame, native: native, into: &line)
            line += "+++ \(x.text) +++".utf8
            emit(line, into: &out)
        case .message(let m):
            frame(event.frame, native: native, into: &line)
            line += m.text.utf8
            emit(line, into: &out)
        case .unparsed(let u):
            emit(u.bytes, into: &out)
        }
        for c in event.continuation { emit(Array(c.text.utf8), into: &out) }
    }

    private func emit(_ line: [UInt8], into out: inout [UInt8]) {
        out += line
        out.append(0x0A)
    }

    /// The process prefix, timestamp and `-n`/`-i` columns of a line.
    func frame(_ f: LineFrame, native: Bool, into line: inout [UInt8]) {
        if native && (f.prefixText != nil || !pidPrefixes) {
            if let p = f.prefixText { line += p.utf8 }
        } else if let pid = f.pid {
            let s = String(pid)
            line += s.utf8
            line += [UInt8](repeating: 0x20, count: max(1, 6 - s.utf8.count))
        }
        if let t = f.time {
            line += t.text.utf8
            line.append(0x20)
        }
        if native, let infix = f.infix { line += infix.utf8 }
    }

    private func renderCall(_ call: Syscall, event: Event, native: Bool, into out: inout [UInt8]) {
        var line: [UInt8] = []
        switch (call.split?.shape, call.outcome) {
        case (.unfinished(let k, let trailer, _), .detached):
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments.prefix(k), into: &line)
            line += trailer.utf8
            line += " <detached ...>".utf8
        case (_, .detached):
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments[...], into: &line)
            line += " <detached ...>".utf8
        case (.spliced(_, let message), .neverReturned):
            // The process died inside the call and its exit line was glued to the call's (strace 4.x).
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments[...], into: &line)
            line.append(0x29)
            line += message.utf8
        case (.some, .neverReturned):
            return  // its only line was written by its CallStart event
        case (.none, .neverReturned):
            // A call the trace ends inside: strace leaves its line open.
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments[...], into: &line)
        case (.unfinished(let k, let trailer, let lead), .returned(let r)) where event.lines.resumed == event.lines.first:
            // Both halves on one line.
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments.prefix(k), into: &line)
            line += "\(trailer) <unfinished ...> <... \(call.writtenName) resumed>\(lead)".utf8
            arguments(call.arguments[min(k, call.arguments.count)...], into: &line)
            line.append(0x29)
            result(r, gap: native ? call.split?.resumedFrame.resultGap : nil, into: &line)
        case (.unfinished(let k, _, let lead), .returned(let r)):
            resumed(call, from: min(k, call.arguments.count), lead: lead, result: r, event: event, native: native, into: &line)
        case (.resumedOnly(let lead), .returned(let r)):
            resumed(call, from: 0, lead: lead, result: r, event: event, native: native, into: &line)
        case (.spliced(let headLength, _), .returned(let r)):
            var whole: [UInt8] = []
            whole += call.writtenName.utf8
            whole.append(0x28)
            arguments(call.arguments[...], into: &whole)
            whole.append(0x29)
            result(r, gap: call.split?.resumedFrame.resultGap, into: &whole)
            frame(call.split!.resumedFrame, native: native, into: &line)
            line += whole.dropFirst(min(headLength, whole.count))
        case (.none, .returned(let r)):
            frame(event.frame, native: native, into: &line)
            line += call.writtenName.utf8
            line.append(0x28)
            arguments(call.arguments[...], into: &line)
            line.append(0x29)
            result(r, gap: native ? event.frame.resultGap : nil, into: &line)
        }
        emit(line, into: &out)
    }

    private func resumed(_ call: Syscall, from k: Int, lead: String, result r: CallResult, event: Event, native: Bool,
                         into line: inout [UInt8]) {
        let f = call.split?.resumedFrame ?? event.frame
        frame(f, native: native, into: &line)
        line += "<... \(call.writtenName) resumed>".utf8
        line += lead.utf8
        arguments(call.arguments[k...], into: &line)
        line.append(0x29)
        result(r, gap: native ? f.resultGap : nil, into: &line)
    }

    func arguments(_ args: ArraySlice<Argument>, into line: inout [UInt8]) {
        var first = true
        for a in args {
            if !first { line += ", ".utf8 }
            first = false
            if let t = a.text { line += t.utf8 } else { StraceValueWriter.write(a.value, into: &line) }
        }
    }

    /// ` = value ERRNO (message) detail (INJECTED) <duration>`, aligned as strace aligns it.
    func result(_ r: CallResult, gap: Int?, into line: inout [UInt8]) {
        let spaces = gap ?? max(1, Self.resultColumn - line.count)
        line += [UInt8](repeating: 0x20, count: spaces)
        line += "= ".utf8
        if let t = r.valueText {
            line += t.utf8
        } else {
            switch r.value {
            case .integer(let v): line += String(v).utf8
            case .hex(let v): line += ("0x" + String(v, radix: 16)).utf8
            case .descriptor(let d): StraceValueWriter.write(.descriptor(d), into: &line)
            case .unknown: line.append(0x3F)
            }
        }
        if let e = r.error {
            if e.name.hasPrefix("ERRNO_"), let n = e.number {
                line += " (errno \(n))".utf8
            } else {
                line += " \(e.name)".utf8
                if let m = r.errorMessage { line += " (\(m))".utf8 }
            }
        }
        if let d = r.detail { line += " \(d)".utf8 }
        if r.injected { line += " (INJECTED)".utf8 }
        if let d = r.duration { line += " <\(d.text)>".utf8 }
    }
}
