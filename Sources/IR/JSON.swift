/// A JSON value: what IR JSON Lines are made of.
///
/// The IR writes and reads its own JSON so that numbers keep 64-bit precision, bytes that are not
/// UTF-8 survive, and a malformed line is reported with its column.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// An object, with its keys in the order they were written.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let v): h.combine(v)
        case .int(let v): h.combine(v)
        case .double(let v): h.combine(v)
        case .string(let v): h.combine(v)
        case .array(let v): h.combine(v)
        case .object(let v): for (k, x) in v { h.combine(k); h.combine(x) }
        }
    }

    /// The member `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int64? {
        switch self {
        case .int(let v): return v
        case .double(let d) where d == d.rounded() && abs(d) < 9.0e15: return Int64(d)
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
}

/// Writes JSON text compactly, one value at a time, into a byte buffer.
public struct JSONWriter {
    public var bytes: [UInt8] = []
    public init() {}

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let v): append(String(v))
        case .double(let d): append(d.isFinite ? String(d) : "null")
        case .string(let s): writeString(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, item)) in members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(item)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Writes a string with every control character escaped, so the output is always valid JSON.
    public mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                append("\\u00")
                bytes.append(hex[Int(b >> 4)]); bytes.append(hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A JSON syntax error, with the 1-based column where it was found.
public struct JSONSyntaxError: Error, Sendable, Hashable {
    public var column: Int
    public var expected: String
}

/// Parses one JSON text from bytes.
public struct JSONParser {
    private let input: [UInt8]
    private var i = 0
    private var depth = 0

    public static func parse<C: Collection>(_ bytes: C) throws(JSONSyntaxError) -> JSONValue where C.Element == UInt8 {
        var p = JSONParser(input: Array(bytes))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.input.count else { throw p.error("end of line after the JSON value") }
        return v
    }

    private init(input: [UInt8]) { self.input = input }

    private func error(_ expected: String) -> JSONSyntaxError { JSONSyntaxError(column: i + 1, expected: expected) }

    private mutating func skipSpace() {
        while i < input.count, input[i] == 0x20 || input[i] == 0x09 || input[i] == 0x0A || input[i] == 0x0D { i += 1 }
    }

    private mutating func literal(_ word: String, _ v: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        for b in word.utf8 {
            guard i < input.count, input[i] == b else { throw error("'\(word)'") }
            i += 1
        }
        return v
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < input.count else { throw error("a JSON value") }
        switch input[i] {
        case UInt8(ascii: "{"):
            depth += 1
            guard depth < 512 else { throw error("less deeply nested JSON") }
            defer { depth -= 1 }
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < input.count, input[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < input.count, input[i] == UInt8(ascii: "\"") else { throw error("a quoted object key") }
                let key = try string()
                skipSpace()
                guard i < input.count, input[i] == UInt8(ascii: ":") else { throw error("':' after an object key") }
                i += 1
                skipSpace()
                members.append((key, try value()))
                skipSpace()
                guard i < input.count else { throw error("',' or '}'") }
                if input[i] == UInt8(ascii: ",") { i += 1; continue }
                if input[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("',' or '}'")
            }
        case UInt8(ascii: "["):
            depth += 1
            guard depth < 512 else { throw error("less deeply nested JSON") }
            defer { depth -= 1 }
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < input.count, input[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard i < input.count else { throw error("',' or ']'") }
                if input[i] == UInt8(ascii: ",") { i += 1; continue }
                if input[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        var isInteger = true
        if i < input.count, input[i] == UInt8(ascii: "-") { i += 1 }
        while i < input.count {
            let b = input[i]
            if b >= 48 && b <= 57 { i += 1 }
            else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+")
                        || (b == UInt8(ascii: "-") && i > start) { isInteger = false; i += 1 }
            else { break }
        }
        let text = String(decoding: input[start..<i], as: UTF8.self)
        if isInteger, let v = Int64(text) { return .int(v) }
        if let d = Double(text), !text.isEmpty { return .double(d) }
        i = start
        throw error("a JSON value")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= input.count, let v = UInt32(String(decoding: input[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw error("four hex digits after \\u")
        }
        i += 4
        return v
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < input.count else { throw error("a closing '\"'") }
            let b = input[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw error("no control character inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < input.count else { throw error("an escape after '\\'") }
            let e = input[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00, i + 1 < input.count, input[i] == UInt8(ascii: "\\"),
                   input[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let lowHalf = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (lowHalf &- 0xDC00)
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            default: throw error("a valid escape")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("UTF-8 text") }
        return s
    }
}
