/// What a call returned, as far as the tracer recorded it.
public struct CallResult: Sendable, Hashable {
    /// The return value: a number, a descriptor, or unknown (`?`: the call never returned a value).
    public enum ReturnValue: Sendable, Hashable {
        case integer(Int64)
        case hex(UInt64)
        case descriptor(Descriptor)
        case unknown
    }

    public var value: ReturnValue
    /// The value as written (`0x802`, `5<TCP:[...]>`), when the front end kept it.
    public var valueText: String?
    /// The error the call failed with (`-1 ECONNREFUSED`, `? ERESTARTSYS`), if it failed.
    public var error: ErrorCode?
    /// The tracer's message for the error (`Connection refused`), without parentheses.
    public var errorMessage: String?
    /// What the tracer printed after the value about its meaning: poll's ready set, fcntl's
    /// decoded flags, time left (`([{fd=5, revents=POLLOUT}], left {...})`), as written.
    public var detail: String?
    /// strace's `(INJECTED)`: the result was injected by the tracer, not produced by the kernel.
    public var injected: Bool
    /// Time spent in the call (strace `-T`), as written and in nanoseconds.
    public var duration: Duration?

    @inlinable public init(value: ReturnValue, valueText: String? = nil, error: ErrorCode? = nil, errorMessage: String? = nil,
                detail: String? = nil, injected: Bool = false, duration: Duration? = nil) {
        self.value = value
        self.valueText = valueText
        self.error = error
        self.errorMessage = errorMessage
        self.detail = detail
        self.injected = injected
        self.duration = duration
    }

    /// The result as a number, when it is one.
    public var integer: Int64? {
        switch value {
        case .integer(let v): return v
        case .hex(let v): return Int64(bitPattern: v)
        case .descriptor(let d): return Int64(d.number)
        case .unknown: return nil
        }
    }

    /// True when the call failed (an error code is present).
    public var failed: Bool { error != nil }

    /// A duration as written by the tracer, and its value.
    public struct Duration: Sendable, Hashable {
        public var nanoseconds: Int64
        public var text: String
        @inlinable public init(nanoseconds: Int64, text: String) { self.nanoseconds = nanoseconds; self.text = text }
    }
}

/// How a call ended in the trace.
public enum CallOutcome: Sendable, Hashable {
    /// The call returned and the tracer printed its result.
    case returned(CallResult)
    /// The tracer detached while the call was in progress (strace `<detached ...>`).
    case detached
    /// The call started but the trace ends before it returned (process killed, trace cut).
    case neverReturned
}
