/// Remembers what was made from short byte strings, so text that recurs line after line (a
/// socket's `-yy` decoration, an errno message, a call name) is decoded and allocated once.
///
/// Direct-mapped: each key has one slot, and a new key evicts the old one. Memory is fixed at
/// `slotCount` keys of up to `maxKeyLength` bytes, whatever the length of the trace. Keys longer
/// than that are not cached. Values must not depend on anything but the key's bytes.
final class ByteCache<Value> {
    /// Longest key that is cached.
    let maxKeyLength: Int
    private let mask: Int
    private let slotCount: Int
    private let keys: UnsafeMutablePointer<UInt8>
    /// Each slot's key length; -1 for an empty slot. (Raw memory: no exclusivity checks.)
    private let lengths: UnsafeMutablePointer<Int>
    private let values: UnsafeMutablePointer<Value?>

    /// A cache of `slotCount` (rounded up to a power of two) keys of at most `maxKeyLength` bytes.
    init(slotCount: Int = 512, maxKeyLength: Int = 64) {
        var n = 1
        while n < slotCount { n <<= 1 }
        mask = n - 1
        self.slotCount = n
        self.maxKeyLength = maxKeyLength
        keys = .allocate(capacity: n * maxKeyLength)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: -1, count: n)
        values = .allocate(capacity: n)
        values.initialize(repeating: nil, count: n)
    }

    deinit {
        keys.deallocate()
        lengths.deallocate()
        values.deinitialize(count: slotCount)
        values.deallocate()
    }

    /// The value for the `count` bytes at `start`, made by `make` when the slot holds another key.
    @inline(__always)
    func value(_ start: UnsafePointer<UInt8>, _ count: Int, make: () -> Value) -> Value {
        guard count <= maxKeyLength else { return make() }
        let slot = Int(truncatingIfNeeded: Self.hash(start, count)) & mask
        let key = keys + slot * maxKeyLength
        if lengths[slot] == count && memoryEqual(key, start, count), let v = values[slot] { return v }
        let v = make()
        key.update(from: start, count: count)
        lengths[slot] = count
        values[slot] = v
        return v
    }

    /// A fast hash of a short byte string, eight bytes at a time.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: count &+ 1)
        var k = 0
        let raw = UnsafeRawPointer(p)
        while k + 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            k += 8
        }
        if k < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while k < count { tail |= UInt64(p[k]) << shift; shift += 8; k += 1 }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 32
        return (h &* 0x9E37_79B9_7F4A_7C15) >> 20
    }
}

/// True when the `count` bytes at `a` and at `b` are equal.
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var k = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while k + 8 <= count {
        if ra.loadUnaligned(fromByteOffset: k, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
            return false
        }
        k += 8
    }
    while k < count {
        if a[k] != b[k] { return false }
        k += 1
    }
    return true
}
