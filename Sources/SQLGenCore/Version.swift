/// The version of sqlgen, printed by `sqlgen --version` and in generated file headers.
public enum SQLGenVersion {
    /// The current version.
    public static let current = "0.1.0"
}
