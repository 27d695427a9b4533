import IR

/// A configuration that cannot be read: the file, the line and what was expected there.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public init(path: String, line: Int, message: String) { self.path = path; self.line = line; self.message = message }
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}

/// Reads NetCheck's configuration syntax.
///
/// ```
/// ignore 127.0.0.1,53          # comments run to the end of the line
/// host client
///  trace client.strace [NAME] [platform=linux]
///  ip 192.168.1.106
///  nat 192.168.0.8 128.238.38.67[,PORT]
///  platform linux                # extension
/// ```
/// Trace paths are relative to the directory of the configuration file.
public enum ConfigParser {
    /// Parses configuration text; `path` names it in errors and anchors relative trace paths.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Configuration {
        var config = Configuration(path: path)
        let directory = Self.directory(of: path)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let keyword = words.first else { continue }
            let arguments = Array(words.dropFirst())
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: lineNumber, message: message) }
            func currentHost() throws(ConfigError) -> Int {
                guard !config.hosts.isEmpty else { throw fail("`\(keyword)` must follow a `host` line") }
                return config.hosts.count - 1
            }
            switch keyword.lowercased() {
            case "host":
                guard arguments.count <= 1 else { throw fail("expected `host [NAME]`") }
                config.hosts.append(HostSpec(name: arguments.first, line: lineNumber))
            case "trace":
                let host = try currentHost()
                guard let file = arguments.first else { throw fail("expected `trace FILE [NAME]`") }
                var spec = TraceSpec(path: resolve(file, in: directory), writtenPath: file, line: lineNumber)
                for extra in arguments.dropFirst() {
                    if extra.lowercased().hasPrefix("platform=") {
                        let name = String(extra.dropFirst("platform=".count))
                        guard let platform = Platform(userName: name) else { throw fail("unknown platform `\(name)` (expected \(platformNames))") }
                        spec.platform = platform
                    } else if spec.name == nil {
                        spec.name = extra
                    } else {
                        throw fail("expected `trace FILE [NAME] [platform=NAME]`, found `\(extra)`")
                    }
                }
                config.hosts[host].traces.append(spec)
            case "ip":
                let host = try currentHost()
                guard arguments.count == 1, let address = IPAddress(arguments[0]) else {
                    throw fail("expected `ip ADDRESS` with an IPv4 or IPv6 address")
                }
                config.hosts[host].addresses.append(address)
            case "nat":
                let host = try currentHost()
                guard arguments.count == 2,
                      let inside = parseAddressPort(arguments[0]), let outside = parseAddressPort(arguments[1]) else {
                    throw fail("expected `nat PRIVATE[,PORT] PUBLIC[,PORT]`")
                }
                config.hosts[host].nats.append(NATMapping(privateAddress: inside.0, privatePort: inside.1,
                                                          publicAddress: outside.0, publicPort: outside.1))
            case "ignore":
                guard arguments.count == 1, let peer = parseAddressPort(arguments[0]) else {
                    throw fail("expected `ignore ADDRESS[,PORT]`")
                }
                config.ignored.append(IgnoredPeer(address: peer.0, port: peer.1))
            case "platform":
                let host = try currentHost()
                guard arguments.count == 1, let platform = Platform(userName: arguments[0]) else {
                    throw fail("expected `platform NAME` (\(platformNames))")
                }
                config.hosts[host].platform = platform
            default:
                throw fail("unknown keyword `\(keyword)` (expected host, trace, ip, nat, ignore or platform)")
            }
        }
        guard !config.traces.isEmpty else { throw ConfigError(path: path, line: 0, message: "no `trace` lines: nothing to diagnose") }
        return config
    }

    private static let platformNames = "linux, freebsd, openbsd, netbsd, macos, solaris, windows"

    /// `ADDRESS` or `ADDRESS,PORT` (IPv6 addresses may be bracketed).
    static func parseAddressPort(_ text: String) -> (IPAddress, UInt16?)? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        var addressText = Substring(parts[0])
        if addressText.hasPrefix("["), addressText.hasSuffix("]") { addressText = addressText.dropFirst().dropLast() }
        guard let address = IPAddress(addressText) else { return nil }
        if parts.count == 2 {
            guard let port = UInt16(parts[1]) else { return nil }
            return (address, port)
        }
        return (address, nil)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func resolve(_ file: String, in directory: String) -> String {
        file.hasPrefix("/") || directory.isEmpty ? file : directory + file
    }
}
