import IR

/// Writes IR values in strace's notation, as strace 6 prints them.
public enum StraceValueWriter {
    public static func write(_ v: Value, into out: inout [UInt8]) {
        switch v {
        case .integer(let i): out += String(i).utf8
        case .hex(let h): out += ("0x" + String(h, radix: 16)).utf8
        case .null: out += "NULL".utf8
        case .descriptor(let d):
            out += String(d.number).utf8
            if let info = d.info { out += "<\(info.text)>".utf8 }
        case .address(let a): address(a, into: &out)
        case .symbol(let s): out += s.utf8
        case .flags(let items):
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(0x7C) }
                write(item, into: &out)
            }
        case .bytes(let b):
            string(b.bytes, into: &out)
            if b.truncated { out += "...".utf8 }
        case .structure(let fields):
            out.append(0x7B)
            for (k, f) in fields.enumerated() {
                if k > 0 { out += ", ".utf8 }
                if let n = f.name { out += n.utf8; out.append(0x3D) }
                write(f.value, into: &out)
            }
            out.append(0x7D)
        case .array(let items):
            out.append(0x5B)
            list(items, into: &out)
            out.append(0x5D)
        case .call(let name, let args):
            out += name.utf8
            out.append(0x28)
            list(args, into: &out)
            out.append(0x29)
        case .elided: out += "...".utf8
        case .commented(let inner, let comment):
            write(inner, into: &out)
            out += " /* \(comment) */".utf8
        case .raw(let s): out += s.utf8
        }
    }

    static func list(_ items: [Value], into out: inout [UInt8]) {
        for (k, item) in items.enumerated() {
            if k > 0 { out += ", ".utf8 }
            write(item, into: &out)
        }
    }

    /// A C string with strace's escapes: `\t \n \v \f \r \" \\`, other unprintable bytes in octal.
    public static func string(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.append(0x22)
        for (k, b) in bytes.enumerated() {
            switch b {
            case 0x09: out += "\\t".utf8
            case 0x0A: out += "\\n".utf8
            case 0x0B: out += "\\v".utf8
            case 0x0C: out += "\\f".utf8
            case 0x0D: out += "\\r".utf8
            case 0x22: out += "\\\"".utf8
            case 0x5C: out += "\\\\".utf8
            case 0x20...0x7E: out.append(b)
            default:
                // Shortest octal form, padded to three digits when a digit follows.
                let nextIsDigit = k + 1 < bytes.count && bytes[k + 1] >= 0x30 && bytes[k + 1] <= 0x37
                let octal = String(b, radix: 8)
                out.append(0x5C)
                if nextIsDigit { out += [UInt8](repeating: 0x30, count: 3 - octal.utf8.count) }
                out += octal.utf8
            }
        }
        out.append(0x22)
    }

    static func address(_ a: SocketAddress, into out: inout [UInt8]) {
        var s = "{sa_family=\(a.familyName)"
        switch a {
        case .inet(let ip, let port):
            s += ", sin_port=htons(\(port)), sin_addr=inet_addr(\"\(ip)\")}"
        case .inet6(let ip, let port, let flow, let scope):
            s += ", sin6_port=htons(\(port)), sin6_flowinfo=htonl(\(flow)), inet_pton(AF_INET6, \"\(ip)\", &sin6_addr), sin6_scope_id=\(scope)}"
        case .unix(let path, let abstract):
            out += (s + ", sun_path=" + (abstract ? "@" : "")).utf8
            string(path, into: &out)
            out.append(0x7D)
            return
        case .netlink(let pid, let groups):
            let hex = String(groups, radix: 16)
            s += ", nl_pid=\(pid), nl_groups=\(String(repeating: "0", count: max(0, 8 - hex.count)) + hex)}"
        case .other:
            s += "}"
        }
        out += s.utf8
    }
}
