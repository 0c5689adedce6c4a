extension Double {
    /// The number without a trailing ".0": 10 -> "10", 2.5 -> "2.5".
    public var compact: String {
        if isFinite, self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
