#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IR

extension StraceValueScanner {
    /// Reads a quoted string with strace's escapes; `"..."...` marks truncation.
    ///
    /// Finds the closing quote first, then decodes into a buffer of the quoted length (escapes
    /// only shorten the text), so a string costs one allocation.
    mutating func string() -> Value? {
        let open = i
        guard let close = closingQuote(after: open) else { return nil }
        let body = base + open + 1
        let length = close - open - 1
        let out: [UInt8]
        if memchr(body, Int32(C.backslash), length) == nil {
            out = Array(UnsafeBufferPointer(start: body, count: length))
        } else {
            var failed = false
            out = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                if let decoded = Self.unescape(body, length, into: buffer.baseAddress!) {
                    count = decoded
                } else {
                    count = 0
                    failed = true
                }
            }
            if failed { return nil }
        }
        i = close + 1
        var truncated = false
        if peek() == C.dot && peek(1) == C.dot && peek(2) == C.dot { truncated = true; i += 3 }
        return .bytes(Buffer(bytes: out, truncated: truncated))
    }

    /// The closing quote of the string opened at `open`: the first quote after it that no
    /// backslash escapes (preceded by an even run of backslashes, since a backslash escapes
    /// exactly the byte after it); nil when the scanned text ends first.
    @inline(__always)
    func closingQuote(after open: Int) -> Int? {
        var k = open + 1
        while k < end {
            guard let hit = memchr(base + k, Int32(C.quote), end - k) else { return nil }
            let q = base.distance(to: UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)))
            var run = 0
            while q - run - 1 > open && base[q - run - 1] == C.backslash { run += 1 }
            if run & 1 == 0 { return q }
            k = q + 1
        }
        return nil
    }

    /// Decodes strace's escapes in `n` bytes at `p` (which end just before the closing quote) into
    /// `out`; returns the decoded length, nil for an escape strace does not write (`\x` without
    /// digits, an octal escape above 255, a backslash at the very end).
    static func unescape(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        var k = 0
        var o = 0
        while k < n {
            // Copy the run up to the next backslash: byte by byte while it is short (binary data
            // escapes every few bytes), then with memchr and memcpy.
            var slash = k
            while slash < n && p[slash] != C.backslash && slash - k < 16 { out[o + slash - k] = p[slash]; slash += 1 }
            if slash < n && p[slash] != C.backslash {
                let hit = memchr(p + slash, Int32(C.backslash), n - slash)
                let stop = hit.map { p.distance(to: UnsafePointer($0.assumingMemoryBound(to: UInt8.self))) } ?? n
                (out + o + slash - k).update(from: p + slash, count: stop - slash)
                slash = stop
            }
            o += slash - k
            k = slash
            if k == n { break }
            k += 1
            guard k < n else { return nil }
            let e = p[k]
            k += 1
            switch e {
            case C.u8("n"): out[o] = 0x0A
            case C.u8("t"): out[o] = 0x09
            case C.u8("r"): out[o] = 0x0D
            case C.u8("v"): out[o] = 0x0B
            case C.u8("f"): out[o] = 0x0C
            case C.u8("x"):
                var v: UInt8 = 0
                var digits = 0
                while digits < 2, k < n, let d = hexDigit(p[k]) { v = v &* 16 &+ d; k += 1; digits += 1 }
                guard digits > 0 else { return nil }
                out[o] = v
            case C.u8("0")...C.u8("7"):
                var v = Int(e - C.u8("0"))
                var digits = 1
                while digits < 3, k < n, p[k] >= C.u8("0"), p[k] <= C.u8("7") {
                    v = v * 8 + Int(p[k] - C.u8("0")); k += 1; digits += 1
                }
                guard v <= 255 else { return nil }
                out[o] = UInt8(v)
            default: out[o] = e
            }
            o += 1
        }
        return o
    }

    /// `{sa_family=AF_INET, sin_port=htons(P), sin_addr=inet_addr("A.B.C.D")}` exactly as strace
    /// writes it, read without building the structure; nil (nothing consumed) for any other text,
    /// which then takes the general path. Both paths give the same address.
    mutating func inetAddress() -> SocketAddress? {
        let head: StaticString = "{sa_family=AF_INET, sin_port=htons("
        let middle: StaticString = "), sin_addr=inet_addr(\""
        guard startsWith(head) else { return nil }
        var k = i + head.utf8CodeUnitCount
        // The port: decimal, no leading zero, at most 65535.
        let portStart = k
        var port = 0
        while k < end && isDigit(base[k]) && k - portStart < 6 { port = port * 10 + Int(base[k] &- 48); k += 1 }
        let portDigits = k - portStart
        guard portDigits > 0, portDigits <= 5, port <= 65535, portDigits == 1 || base[portStart] != C.u8("0") else { return nil }
        guard k + middle.utf8CodeUnitCount <= end, memoryEqual(base + k, middle.utf8Start, middle.utf8CodeUnitCount) else { return nil }
        k += middle.utf8CodeUnitCount
        // The address: a dotted quad, then `")}`.
        var value: UInt32 = 0, part: UInt32 = 0, digits = 0, dots = 0
        while k < end {
            let c = base[k]
            if c == C.dot {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | part; part = 0; digits = 0; dots += 1
            } else if isDigit(c) {
                part = part * 10 + UInt32(c &- 48); digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                break
            }
            k += 1
        }
        guard dots == 3, digits > 0, k + 3 <= end, base[k] == C.quote, base[k + 1] == C.rparen, base[k + 2] == C.rbrace else {
            return nil
        }
        i = k + 3
        return .inet(IPv4Address(value << 8 | part), port: UInt16(port))
    }
}
