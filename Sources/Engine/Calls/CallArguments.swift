import IR

/// What the network model reads from a call: the descriptor, addresses, buffers, sizes and flags
/// at the positions of the normalized signature (grammars/syscalls.tsv), and the logged result.
///
/// Front ends normalize names and argument order, so the model can read every format the same way;
/// anything it cannot find reads as nil, and the model then treats that part as unknown.
extension Syscall {
    /// The descriptor in argument `index` (default: the first).
    func descriptor(_ index: Int = 0) -> Int32? {
        guard let value = argument(index) else { return nil }
        switch value {
        case .descriptor(let d): return d.number
        case .integer(let v) where v >= 0 && v <= Int64(Int32.max): return Int32(v)
        case .commented(let inner, _): return inner.integerValue.flatMap { Int32(exactly: $0) }
        default: return nil
        }
    }

    /// The first socket address among the arguments (also inside a `msghdr`).
    var socketAddress: SocketAddress? {
        for argument in arguments { if let found = argument.value.firstAddress { return found } }
        return nil
    }

    /// The socket address in argument `index`.
    func address(at index: Int) -> SocketAddress? { argument(index)?.firstAddress }

    /// The data the call carries: the first buffer argument, or the iovecs of a msghdr/iovec array,
    /// concatenated; nil when the tracer printed a pointer instead.
    var payload: Buffer? {
        for argument in arguments {
            if let found = argument.value.collectedBytes { return found }
        }
        return nil
    }

    /// The integer in argument `index`.
    func integer(_ index: Int) -> Int64? { argument(index)?.integerValue }

    /// The symbolic names in argument `index` (flags, a constant).
    func names(_ index: Int) -> [String] { argument(index)?.flagNames ?? [] }

    /// Whether any argument carries the flag `name` (MSG_PEEK, SOCK_NONBLOCK, ...).
    func hasFlag(_ name: String, at index: Int) -> Bool { names(index).contains(name) }

    /// The result, when the call returned.
    var returned: CallResult? { result }

    /// The integer result of a call that succeeded.
    var returnValue: Int64? {
        guard let result, result.error == nil else { return nil }
        return result.integer
    }

    /// The canonical errno name of a failed call (`EAGAIN` reads as `EWOULDBLOCK`).
    var errorName: String? { result?.error?.canonicalName }

    /// Whether the call failed with an interruption (EINTR or a restart code).
    var wasInterrupted: Bool {
        guard let error = result?.error else { return false }
        return error.name == "EINTR" || error.isRestart
    }
}

extension Value {
    /// The first socket address in this value, searching structures and arrays.
    var firstAddress: SocketAddress? {
        switch self {
        case .address(let a): return a
        case .structure(let fields):
            for field in fields { if let a = field.value.firstAddress { return a } }
            return nil
        case .array(let items):
            for item in items { if let a = item.firstAddress { return a } }
            return nil
        case .commented(let inner, _): return inner.firstAddress
        default: return nil
        }
    }

    /// The bytes this value carries: a buffer, or the `iov_base` buffers of iovecs and msghdrs.
    var collectedBytes: Buffer? {
        switch self {
        case .bytes(let b): return b
        case .structure(let fields):
            if let iov = fields.first(where: { $0.name == "msg_iov" }) { return iov.value.collectedBytes }
            if let base = fields.first(where: { $0.name == "iov_base" }) { return base.value.collectedBytes }
            if let header = fields.first(where: { $0.name == "msg_hdr" }) { return header.value.collectedBytes }
            return nil
        case .array(let items):
            var bytes: [UInt8] = []
            var truncated = false
            var found = false
            for item in items {
                guard let b = item.collectedBytes else { continue }
                if truncated { break }
                found = true
                bytes += b.bytes
                truncated = b.truncated
            }
            return found ? Buffer(bytes: bytes, truncated: truncated) : nil
        case .commented(let inner, _): return inner.collectedBytes
        default: return nil
        }
    }

    /// A named field of a structure.
    func field(_ name: String) -> Value? {
        guard case .structure(let fields) = self else {
            if case .array(let items) = self, items.count == 1 { return items[0].field(name) }
            return nil
        }
        return fields.first(where: { $0.name == name })?.value
    }

    /// The integers of an array (`[3 4]`, `[16]`) or a single integer.
    var integers: [Int64] {
        switch self {
        case .array(let items): return items.flatMap(\.integers)
        case .integer, .hex, .descriptor: return integerValue.map { [$0] } ?? []
        case .raw(let text): return text.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
        default: return []
        }
    }
}
