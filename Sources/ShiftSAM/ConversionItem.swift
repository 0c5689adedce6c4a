/// A part of the template that does not carry over into the pipeline, with what to do instead. Listed on
/// stderr as `template.yaml:12:7: Events.Api: ...`; `--strict` makes any of them an error.
public struct ConversionItem: Equatable, Sendable, CustomStringConvertible {
    /// The template as the user named it.
    public var file: String
    public var position: SourcePosition
    /// The property's path, e.g. `Resources.Orders.Properties.Layers`.
    public var property: String
    /// Why it does not carry over and what to do instead.
    public var advice: String

    public init(file: String, position: SourcePosition, property: String, advice: String) {
        self.file = file
        self.position = position
        self.property = property
        self.advice = advice
    }

    public var description: String { "\(file):\(position): \(property): \(advice)" }
}
