import IR

/// What one reader has already made from recurring strace text: long strings, `-y`/`-yy`
/// decorations with their decoded sockets, error codes and call names.
///
/// A trace repeats the same few dozen decorations, messages and names on most of its lines;
/// taking them from here saves decoding them again and allocating a string for each. The caches
/// have a fixed size, so memory does not grow with the trace.
final class StraceTextCache {
    let platform: Platform
    private let strings = ByteCache<String>(slotCount: 1024)
    private let descriptors = ByteCache<Descriptor>(slotCount: 1024, maxKeyLength: 96)
    private let errors = ByteCache<ErrorCode>(slotCount: 128, maxKeyLength: 32)
    private let calls = ByteCache<KnownCall>(slotCount: 256, maxKeyLength: 32)
    /// Stands in for the base address of an empty line.
    let emptyBase: UnsafePointer<UInt8>

    init(platform: Platform) {
        self.platform = platform
        let one = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        one.initialize(to: 0)
        emptyBase = UnsafePointer(one)
    }

    deinit { UnsafeMutablePointer(mutating: emptyBase).deallocate() }

    /// The `count` bytes at `p` as a string (ill-formed UTF-8 repaired, as `String(decoding:)` does).
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, _ count: Int) -> String {
        // Up to 15 bytes a string is stored inline and costs no allocation.
        if count <= 15 { return Self.makeString(p, count) }
        return strings.value(p, count) { Self.makeString(p, count) }
    }

    @inline(__always)
    static func makeString(_ p: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: max(0, count)), as: UTF8.self)
    }

    /// A descriptor numbered 0 carrying the decoration whose text (without `<>`) is the `count` bytes at `p`.
    func descriptor(_ p: UnsafePointer<UInt8>, _ count: Int) -> Descriptor {
        descriptors.value(p, count) {
            let inner = UnsafeBufferPointer(start: p, count: count)
            return Descriptor(number: 0, info: DescriptorInfo(text: Self.makeString(p, count),
                                                              socket: SocketInfoDecoder.decode(inner)))
        }
    }

    /// The error code named by the `count` bytes at `p`, numbered for the trace's platform.
    func errorCode(_ p: UnsafePointer<UInt8>, _ count: Int) -> ErrorCode {
        errors.value(p, count) { ErrorCode(name: Self.makeString(p, count), platform: platform) }
    }

    /// The call named by the `count` bytes at `p`, with its signature.
    func call(_ p: UnsafePointer<UInt8>, _ count: Int) -> KnownCall {
        calls.value(p, count) { KnownCall(Self.makeString(p, count)) }
    }
}

/// A call name as written, with what the signature table says about it (looked up once per name).
final class KnownCall {
    let written: String
    let signature: SyscallSignature?
    /// The name the engine works with.
    let normalized: String
    /// Bit k set: argument k is a descriptor (`fd`) or a descriptor pair (`fd_pair`).
    let fdArguments: UInt64
    let fdPairArguments: UInt64
    /// The call returns a descriptor.
    let returnsDescriptor: Bool

    init(_ written: String) {
        self.written = written
        signature = SyscallSignatures.lookup(written)
        normalized = signature?.normalized ?? written
        var fds: UInt64 = 0, pairs: UInt64 = 0
        for (k, role) in (signature?.arguments ?? []).enumerated() where k < 64 {
            if role == .fd { fds |= 1 << UInt64(k) }
            if role == .fdPair { pairs |= 1 << UInt64(k) }
        }
        fdArguments = fds
        fdPairArguments = pairs
        returnsDescriptor = signature?.returns == .fd
    }

    /// Argument `index` of this call given its type from the signature table: a number where
    /// the call takes a descriptor becomes a descriptor.
    @inline(__always)
    func typed(_ value: Value, at index: Int) -> Value {
        guard index < 64, (fdArguments | fdPairArguments) >> UInt64(index) & 1 != 0 else { return value }
        return Self.descriptors(value, pair: fdPairArguments >> UInt64(index) & 1 != 0)
    }

    static func descriptors(_ value: Value, pair: Bool) -> Value {
        if !pair {
            if case .integer(let n) = value, n >= -1 && n <= Int64(Int32.max) {
                return .descriptor(Descriptor(number: Int32(n)))
            }
            return value
        }
        guard case .array(let items) = value else { return value }
        return .array(items.map {
            if case .integer(let n) = $0, let fd = Int32(exactly: n) { return .descriptor(Descriptor(number: fd)) }
            return $0
        })
    }

    /// Types the arguments from index `first` on, in place.
    func type(_ args: inout [Argument], from first: Int = 0) {
        var k = first
        while k < args.count && k < 64 {
            if (fdArguments | fdPairArguments) >> UInt64(k) & 1 != 0 {
                args[k].value = typed(args[k].value, at: k)
            }
            k += 1
        }
    }
}
