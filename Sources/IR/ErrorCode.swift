/// An error a call returned: its symbolic name and, where known, its number on the trace's platform.
///
/// Names are the cross-platform identity (`ECONNREFUSED`); numbers differ per OS (111 on Linux,
/// 61 on the BSDs and macOS, 146 on Solaris), so ``ErrnoTable`` maps between them per ``Platform``.
public struct ErrorCode: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var number: Int32?
    @inlinable public init(name: String, number: Int32?) { self.name = name; self.number = number }

    /// The code for `name` on `platform`, with the number filled in from the platform's table.
    public init(name: String, platform: Platform) {
        self.name = name
        self.number = ErrnoTable.number(of: name, on: platform)
    }

    /// True for the kernel-internal restart codes (`ERESTARTSYS` and friends): the call did not complete.
    public var isRestart: Bool { name.hasPrefix("ERESTART") }

    /// The name with EAGAIN and EWOULDBLOCK folded together (they are one code on most systems).
    public var canonicalName: String { name == "EAGAIN" ? "EWOULDBLOCK" : name }

    public var description: String { name }
}

/// Per-platform errno numbering.
public enum ErrnoTable {
    /// The number of errno `name` on `platform`; nil when the table does not know it.
    public static func number(of name: String, on platform: Platform) -> Int32? {
        table(for: platform).byName[name]
    }

    /// The name of errno `number` on `platform`; nil when the table does not know it.
    public static func name(of number: Int32, on platform: Platform) -> String? {
        table(for: platform).byNumber[number]
    }

    struct Table: Sendable {
        var byName: [String: Int32] = [:]
        var byNumber: [Int32: String] = [:]
        init(_ spec: String) {
            for entry in spec.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let parts = entry.split(separator: "=")
                guard parts.count == 2, let n = Int32(parts[1]) else { continue }
                let name = String(parts[0])
                byName[name] = n
                if byNumber[n] == nil { byNumber[n] = name }
            }
        }
    }

    static func table(for platform: Platform) -> Table {
        switch platform {
        case .linux, .unknown, .windows: return linux
        case .freebsd, .openbsd, .netbsd, .macos: return bsd
        case .solaris: return solaris
        }
    }

    static let common = """
        EPERM=1 ENOENT=2 ESRCH=3 EINTR=4 EIO=5 ENXIO=6 E2BIG=7 ENOEXEC=8 EBADF=9 ECHILD=10 ENOMEM=12 \
        EACCES=13 EFAULT=14 ENOTBLK=15 EBUSY=16 EEXIST=17 EXDEV=18 ENODEV=19 ENOTDIR=20 EISDIR=21 \
        EINVAL=22 ENFILE=23 EMFILE=24 ENOTTY=25 ETXTBSY=26 EFBIG=27 ENOSPC=28 ESPIPE=29 EROFS=30 \
        EMLINK=31 EPIPE=32 EDOM=33 ERANGE=34
        """

    static let linux = Table(common + " " + """
        EAGAIN=11 EWOULDBLOCK=11 EDEADLK=35 ENAMETOOLONG=36 ENOLCK=37 ENOSYS=38 ENOTEMPTY=39 ELOOP=40 \
        ENOMSG=42 EIDRM=43 ENOSTR=60 ENODATA=61 ETIME=62 ENOSR=63 ENOLINK=67 EPROTO=71 EBADMSG=74 \
        EOVERFLOW=75 EILSEQ=84 ERESTART=85 EUSERS=87 ENOTSOCK=88 EDESTADDRREQ=89 EMSGSIZE=90 \
        EPROTOTYPE=91 ENOPROTOOPT=92 EPROTONOSUPPORT=93 ESOCKTNOSUPPORT=94 EOPNOTSUPP=95 ENOTSUP=95 \
        EPFNOSUPPORT=96 EAFNOSUPPORT=97 EADDRINUSE=98 EADDRNOTAVAIL=99 ENETDOWN=100 ENETUNREACH=101 \
        ENETRESET=102 ECONNABORTED=103 ECONNRESET=104 ENOBUFS=105 EISCONN=106 ENOTCONN=107 \
        ESHUTDOWN=108 ETOOMANYREFS=109 ETIMEDOUT=110 ECONNREFUSED=111 EHOSTDOWN=112 EHOSTUNREACH=113 \
        EALREADY=114 EINPROGRESS=115 ESTALE=116 EDQUOT=122 ECANCELED=125 EOWNERDEAD=130 \
        ENOTRECOVERABLE=131 ERFKILL=132 EHWPOISON=133 ERESTARTSYS=512 ERESTARTNOINTR=513 \
        ERESTARTNOHAND=514 ENOIOCTLCMD=515 ERESTART_RESTARTBLOCK=516
        """)

    static let bsd = Table(common + " " + """
        EDEADLK=11 EAGAIN=35 EWOULDBLOCK=35 EINPROGRESS=36 EALREADY=37 ENOTSOCK=38 EDESTADDRREQ=39 \
        EMSGSIZE=40 EPROTOTYPE=41 ENOPROTOOPT=42 EPROTONOSUPPORT=43 ESOCKTNOSUPPORT=44 EOPNOTSUPP=45 \
        ENOTSUP=45 EPFNOSUPPORT=46 EAFNOSUPPORT=47 EADDRINUSE=48 EADDRNOTAVAIL=49 ENETDOWN=50 \
        ENETUNREACH=51 ENETRESET=52 ECONNABORTED=53 ECONNRESET=54 ENOBUFS=55 EISCONN=56 ENOTCONN=57 \
        ESHUTDOWN=58 ETOOMANYREFS=59 ETIMEDOUT=60 ECONNREFUSED=61 ELOOP=62 ENAMETOOLONG=63 \
        EHOSTDOWN=64 EHOSTUNREACH=65 ENOTEMPTY=66 EUSERS=68 EDQUOT=69 ESTALE=70 ENOLCK=77 ENOSYS=78 \
        EOVERFLOW=84 ECANCELED=85 EIDRM=82 ENOMSG=83 EILSEQ=86 EBADMSG=89 EPROTO=92
        """)

    static let solaris = Table(common + " " + """
        EAGAIN=11 EWOULDBLOCK=11 ENOMSG=35 EIDRM=36 EDEADLK=45 ENOLCK=46 ECANCELED=47 ENOTSUP=48 \
        ENOSTR=60 ENODATA=61 ETIME=62 ENOSR=63 EPROTO=71 EBADMSG=77 ENAMETOOLONG=78 EOVERFLOW=79 \
        EILSEQ=88 ENOSYS=89 ELOOP=90 ERESTART=91 ENOTEMPTY=93 EUSERS=94 ENOTSOCK=95 EDESTADDRREQ=96 \
        EMSGSIZE=97 EPROTOTYPE=98 ENOPROTOOPT=99 EPROTONOSUPPORT=120 ESOCKTNOSUPPORT=121 \
        EOPNOTSUPP=122 EPFNOSUPPORT=123 EAFNOSUPPORT=124 EADDRINUSE=125 EADDRNOTAVAIL=126 \
        ENETDOWN=127 ENETUNREACH=128 ENETRESET=129 ECONNABORTED=130 ECONNRESET=131 ENOBUFS=132 \
        EISCONN=133 ENOTCONN=134 ESHUTDOWN=143 ETOOMANYREFS=144 ETIMEDOUT=145 ECONNREFUSED=146 \
        EHOSTDOWN=147 EHOSTUNREACH=148 EALREADY=149 EINPROGRESS=150 ESTALE=151
        """)
}
