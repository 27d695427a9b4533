/// Byte classes and constants shared by the strace scanners.

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

@inline(__always) func isHexDigit(_ b: UInt8) -> Bool { hexDigit(b) != nil }

@inline(__always) func isIdentifierStart(_ b: UInt8) -> Bool {
    (b | 0x20) &- 0x61 < 26 || b == 0x5F
}

@inline(__always) func isIdentifierByte(_ b: UInt8) -> Bool {
    isIdentifierStart(b) || isDigit(b)
}

@inline(__always) func hexDigit(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x61...0x66: return b - 0x61 + 10
    case 0x41...0x46: return b - 0x41 + 10
    default: return nil
    }
}

/// Byte constants for the scanners.
enum C {
    @inline(__always) static func u8(_ s: Unicode.Scalar) -> UInt8 { UInt8(s.value) }
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, quote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    static let lparen: UInt8 = 0x28, rparen: UInt8 = 0x29, lbracket: UInt8 = 0x5B, rbracket: UInt8 = 0x5D
    static let lbrace: UInt8 = 0x7B, rbrace: UInt8 = 0x7D, comma: UInt8 = 0x2C, pipe: UInt8 = 0x7C
    static let lt: UInt8 = 0x3C, gt: UInt8 = 0x3E, equals: UInt8 = 0x3D, dot: UInt8 = 0x2E, minus: UInt8 = 0x2D
    static let slash: UInt8 = 0x2F, star: UInt8 = 0x2A, at: UInt8 = 0x40, amp: UInt8 = 0x26, colon: UInt8 = 0x3A
    static let plus: UInt8 = 0x2B, question: UInt8 = 0x3F
}
