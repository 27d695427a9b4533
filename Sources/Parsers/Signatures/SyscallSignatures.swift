import IR

/// The role an argument or return value plays in a call (see `grammars/syscalls.tsv`).
public enum ArgumentRole: String, Sendable, Hashable {
    case fd, fdPair = "fd_pair", sockaddr, sockaddrOut = "sockaddr_out", socklen, socklenOut = "socklen_out"
    case bufIn = "buf_in", bufOut = "buf_out", len, msgIn = "msg_in", msgOut = "msg_out"
    case mmsgIn = "mmsg_in", mmsgOut = "mmsg_out", iovIn = "iov_in", iovOut = "iov_out", iovcnt
    case msgflags, domain, type, `protocol`, level, optname, optvalIn = "optval_in", optvalOut = "optval_out"
    case how, cmd, arg, pollfds, nfds, timeout, fdset, flags, pid, int, ptr, any, version
}

/// What the signature table says about one call name.
public struct SyscallSignature: Sendable, Hashable {
    public var name: String
    public var normalized: String
    public var arguments: [ArgumentRole]
    public var optional: [Bool]
    public var returns: ArgumentRole

    /// The role of argument `index`; nil past the end of the signature.
    public func role(at index: Int) -> ArgumentRole? { index < arguments.count ? arguments[index] : nil }
}

/// The syscall signature table every front end shares, loaded from `grammars/syscalls.tsv`.
public enum SyscallSignatures {
    /// Every signature, by the name a tracer writes.
    public static let byName: [String: SyscallSignature] = parse(tableText)

    /// The signature for a written name, also trying it without a `_nocancel` suffix.
    public static func lookup(_ name: String) -> SyscallSignature? {
        if let s = byName[name] { return s }
        if name.hasSuffix("_nocancel") { return byName[String(name.dropLast(9))] }
        return nil
    }

    /// The normalized name for a written one; unknown names stay as they are.
    public static func normalizedName(_ name: String) -> String { lookup(name)?.normalized ?? name }

    static func parse(_ text: String) -> [String: SyscallSignature] {
        var out: [String: SyscallSignature] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count == 4 else { continue }
            var roles: [ArgumentRole] = []
            var optional: [Bool] = []
            for item in cols[2].split(separator: ",") {
                let isOptional = item.hasSuffix("?")
                let name = isOptional ? item.dropLast() : item
                guard let role = ArgumentRole(rawValue: String(name)) else {
                    preconditionFailure("grammars/syscalls.tsv: unknown role \(name) for \(cols[0])")
                }
                roles.append(role)
                optional.append(isOptional)
            }
            guard let ret = ArgumentRole(rawValue: String(cols[3])) else {
                preconditionFailure("grammars/syscalls.tsv: unknown return role \(cols[3]) for \(cols[0])")
            }
            out[String(cols[0])] = SyscallSignature(name: String(cols[0]), normalized: String(cols[1]),
                                                    arguments: roles, optional: optional, returns: ret)
        }
        return out
    }
}
