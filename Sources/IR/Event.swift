/// How one line of a trace began: the process that printed it, its timestamp, and layout details.
///
/// Layout fields (`prefixText`, `infix`, `resultGap`) describe the source format's spelling and
/// are used only when writing the event back in that same format.
public struct LineFrame: Sendable, Hashable {
    /// The process or thread id the line names (strace prints the thread id).
    public var pid: Int32?
    /// A second id the tracer printed (Solaris LWP, dtruss thread id), when there is one.
    public var lwp: Int64?
    public var time: Timestamp?
    /// The process prefix exactly as written (`6480  `, `[pid  8455] `), nil when there was none.
    public var prefixText: String?
    /// Text between the timestamp and the call (strace `-n` syscall numbers, `-i` addresses).
    public var infix: String?
    /// Spaces before the result's `=` when they differ from the tracer's standard alignment.
    public var resultGap: Int?

    @inlinable public init(pid: Int32? = nil, lwp: Int64? = nil, time: Timestamp? = nil, prefixText: String? = nil,
                infix: String? = nil, resultGap: Int? = nil) {
        self.pid = pid
        self.lwp = lwp
        self.time = time
        self.prefixText = prefixText
        self.infix = infix
        self.resultGap = resultGap
    }
}

/// One entry of a trace: a call, a signal, a process exit, a tracer message, or a line no
/// front end could read.
///
/// Every front end produces these; the engine consumes them; renderers write them back out.
public struct Event: Sendable, Hashable {
    public var trace: TraceID
    public var lines: SourceLines
    public var frame: LineFrame
    public var kind: Kind
    /// Lines that belong to this event and follow it: strace `-k` stack frames, `-e read=` dumps.
    public var continuation: [Continuation]
    /// The event's line(s) exactly as read (a split call: both lines, joined by a newline);
    /// nil for events made by a program rather than read from a trace.
    public var raw: String?

    @inlinable public init(trace: TraceID, lines: SourceLines, frame: LineFrame, kind: Kind, continuation: [Continuation] = [],
                raw: String? = nil) {
        self.trace = trace
        self.lines = lines
        self.frame = frame
        self.kind = kind
        self.continuation = continuation
        self.raw = raw
    }

    /// What happened.
    public enum Kind: Sendable, Hashable {
        case syscall(Syscall)
        case callStart(CallStart)
        case signal(SignalDelivery)
        case exit(ProcessExit)
        case message(TracerMessage)
        case unparsed(Unparsed)
    }

    /// The call, when this event is a complete call.
    public var syscall: Syscall? {
        if case .syscall(let s) = kind { return s }
        return nil
    }

    /// The process id the event belongs to.
    public var pid: Int32? { frame.pid }
}

/// A line that belongs to the event before it.
public struct Continuation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A stack frame (strace `-k`).
        case stackFrame = "stack_frame"
        /// A hex dump of transferred data (strace `-e read=/write=`).
        case dataDump = "data_dump"
        /// Any other line the tracer attached to the call (Solaris truss `-v` structure lines).
        case detail
    }
    public var kind: Kind
    public var text: String
    @inlinable public init(kind: Kind, text: String) { self.kind = kind; self.text = text }
}

/// A signal delivered to a process (strace `--- SIGPIPE {...} ---`).
public struct SignalDelivery: Sendable, Hashable {
    /// The signal's name (`SIGPIPE`), or what stood in its place.
    public var name: String
    /// The signal information the tracer decoded (`{si_signo=SIGPIPE, ...}`), as written.
    public var info: String?
    /// The whole text between the markers, as written.
    public var text: String
    @inlinable public init(name: String, info: String?, text: String) { self.name = name; self.info = info; self.text = text }
}

/// A process ended (strace `+++ exited with 0 +++`, `+++ killed by SIGKILL +++`).
public struct ProcessExit: Sendable, Hashable {
    public enum Cause: Sendable, Hashable {
        case exited(status: Int32)
        case killed(signal: String, coreDumped: Bool)
        /// Replaced by an execve in another thread (`+++ superseded by execve in pid N +++`).
        case superseded(byPID: Int32)
        case other
    }
    public var cause: Cause
    /// The text between the markers, as written.
    public var text: String
    @inlinable public init(cause: Cause, text: String) { self.cause = cause; self.text = text }
}

/// A line the tracer wrote about itself (`strace: Process 8455 attached`, summary tables).
public struct TracerMessage: Sendable, Hashable {
    public var text: String
    @inlinable public init(text: String) { self.text = text }
}

/// A line no front end could read, kept whole so nothing is lost.
public struct Unparsed: Sendable, Hashable {
    /// The line's bytes exactly as read (without the newline); need not be valid UTF-8.
    public var bytes: [UInt8]
    /// Why it could not be read, with the 1-based column where reading stopped.
    public var reason: String
    public var column: Int
    @inlinable public init(bytes: [UInt8], reason: String, column: Int) {
        self.bytes = bytes; self.reason = reason; self.column = column
    }
}
