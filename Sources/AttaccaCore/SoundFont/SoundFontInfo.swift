/// The INFO list: version and the descriptive strings.
public struct SoundFontInfo: Equatable, Sendable {
    public var version: (major: Int, minor: Int) { (versionMajor, versionMinor) }
    public var versionMajor: Int = 2
    public var versionMinor: Int = 1
    public var soundEngine: String = "EMU8000"
    public var name: String = ""
    public var romName: String?
    /// The iver chunk: version of the ROM named by `romName`, when the file has one.
    public var romVersionMajor: Int?
    public var romVersionMinor: Int?
    public var creationDate: String?
    public var engineers: String?
    public var product: String?
    public var copyright: String?
    public var comment: String?
    public var software: String?

    public init() {}
}
