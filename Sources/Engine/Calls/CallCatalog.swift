/// The calls the network model knows, by normalized name, and their simulation priority.
///
/// Priorities extend the paper's Table 1 (lower runs first): a call that may depend on another is
/// simulated before it, so the model sees, for example, a connect before the listen it may have
/// raced with. Calls not listed here are not network calls; the model counts them and moves on.
enum CallKind: Sendable, Hashable {
    case socket, socketpair, bind, listen, accept, connect, shutdown, close
    case getsockname, getpeername, setsockopt, getsockopt
    case send, sendto, sendmsg, sendmmsg, write, writev, sendfile
    case recv, recvfrom, recvmsg, recvmmsg, read, readv
    case fcntl, ioctl, poll, select, epollCreate, epollControl, epollWait
    case dup, dup2, fork, clone, execve
    /// exit_group (or the exit of a process's only thread): every descriptor it held closes.
    case exitProcess
    /// A call that returns a new descriptor that is not a socket (open, pipe, eventfd, ...).
    case otherDescriptor

    /// The kind of a normalized call name; nil for calls outside the model.
    init?(name: String) {
        guard let kind = Self.table[name] else { return nil }
        self = kind
    }

    private static let table: [String: CallKind] = [
        "socket": .socket, "socketpair": .socketpair, "bind": .bind, "listen": .listen,
        "accept": .accept, "connect": .connect, "shutdown": .shutdown, "close": .close,
        "getsockname": .getsockname, "getpeername": .getpeername,
        "setsockopt": .setsockopt, "getsockopt": .getsockopt,
        "send": .send, "sendto": .sendto, "sendmsg": .sendmsg, "sendmmsg": .sendmmsg,
        "write": .write, "pwrite": .write, "writev": .writev, "sendfile": .sendfile,
        "recv": .recv, "recvfrom": .recvfrom, "recvmsg": .recvmsg, "recvmmsg": .recvmmsg,
        "read": .read, "pread": .read, "readv": .readv,
        "fcntl": .fcntl, "ioctl": .ioctl, "poll": .poll, "select": .select,
        "epoll_create": .epollCreate, "epoll_ctl": .epollControl, "epoll_wait": .epollWait,
        "dup": .dup, "dup2": .dup2, "dup3": .dup2, "fork": .fork, "clone": .clone, "execve": .execve, "exit": .exitProcess,
        "open": .otherDescriptor, "creat": .otherDescriptor, "pipe": .otherDescriptor,
        "eventfd": .otherDescriptor, "eventfd2": .otherDescriptor, "signalfd": .otherDescriptor,
        "signalfd4": .otherDescriptor, "timerfd_create": .otherDescriptor, "inotify_init": .otherDescriptor,
        "inotify_init1": .otherDescriptor, "memfd_create": .otherDescriptor, "kqueue": .otherDescriptor,
        "pidfd_open": .otherDescriptor, "userfaultfd": .otherDescriptor, "fanotify_init": .otherDescriptor,
    ]

    /// Simulation priority (Table 1 of the paper, extended): lower values are simulated first.
    var priority: Int {
        switch self {
        case .socket, .socketpair, .bind, .getsockname, .getsockopt, .setsockopt, .fcntl, .ioctl,
             .epollCreate, .epollControl, .dup, .dup2, .fork, .clone, .execve, .otherDescriptor:
            return 0
        case .poll, .select, .epollWait, .getpeername: return 1
        case .accept, .recv, .recvfrom, .recvmsg, .recvmmsg, .read, .readv: return 2
        case .connect, .send, .sendto, .sendmsg, .sendmmsg, .write, .writev, .sendfile: return 3
        case .close, .shutdown, .listen, .exitProcess: return 4
        }
    }

    /// Whether the call only touches the calling process (descriptor tables, flags), so it can be
    /// simulated as soon as it reaches the top of its trace, without competing with other traces.
    var isLocal: Bool {
        switch self {
        case .fcntl, .ioctl, .epollCreate, .epollControl, .dup, .dup2, .fork, .clone, .execve, .otherDescriptor,
             .socket, .socketpair:
            return true
        default: return false
        }
    }

    /// Calls that move data out of the socket.
    var isSend: Bool {
        switch self {
        case .send, .sendto, .sendmsg, .sendmmsg, .write, .writev, .sendfile: return true
        default: return false
        }
    }

    /// Calls that move data into the application.
    var isReceive: Bool {
        switch self {
        case .recv, .recvfrom, .recvmsg, .recvmmsg, .read, .readv: return true
        default: return false
        }
    }
}
