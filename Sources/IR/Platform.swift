/// The operating system a trace was recorded on.
///
/// Part of a trace's identity: errno numbers, address-family numbers and socket semantics
/// all depend on it, so two traces of the same program on two platforms are different inputs.
public enum Platform: String, Sendable, Hashable, CaseIterable, Codable {
    case linux
    case freebsd
    case openbsd
    case netbsd
    case macos
    case solaris
    case windows
    case unknown

    /// Parses a platform name as users write it in configs and on the command line
    /// (`linux`, `FreeBSD`, `mac`, `darwin`, `illumos`, `bsd`, ...); nil when not recognised.
    public init?(userName: String) {
        switch userName.lowercased() {
        case "linux": self = .linux
        case "freebsd", "bsd": self = .freebsd
        case "openbsd": self = .openbsd
        case "netbsd": self = .netbsd
        case "macos", "mac", "osx", "darwin": self = .macos
        case "solaris", "illumos", "sunos": self = .solaris
        case "windows", "win32", "win": self = .windows
        case "unknown": self = .unknown
        default: return nil
        }
    }

    /// True for the BSD family, whose socket layer Apple's kernel shares.
    public var isBSDLike: Bool {
        switch self {
        case .freebsd, .openbsd, .netbsd, .macos: return true
        default: return false
        }
    }
}
