/// One chunk met while walking a RIFF tree: its four-character id and where its body lies.
struct RIFFChunk {
    /// The id's four bytes read as a little-endian integer (compare with `RIFFChunk.code`).
    var id: UInt32
    /// Byte offsets of the body inside the file (after the 8-byte header).
    var body: Range<Int>

    var name: String { Self.name(id) }

    /// The integer a four-character id reads as.
    static func code(_ fourCC: StaticString) -> UInt32 {
        precondition(fourCC.utf8CodeUnitCount == 4)
        let p = fourCC.utf8Start
        return UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }

    /// A printable form of an id read from a file: non-ASCII bytes shown as `?`.
    static func name(_ id: UInt32) -> String {
        var characters = ""
        for shift in stride(from: 0, to: 32, by: 8) {
            let byte = UInt8(truncatingIfNeeded: id >> UInt32(shift))
            characters.append(byte >= 0x20 && byte < 0x7F ? Character(Unicode.Scalar(byte)) : "?")
        }
        return characters
    }

    static let riff = code("RIFF"), list = code("LIST"), sfbk = code("sfbk")
    static let info = code("INFO"), sdta = code("sdta"), pdta = code("pdta")
    static let ifil = code("ifil"), isng = code("isng"), inam = code("INAM"), irom = code("irom")
    static let iver = code("iver"), icrd = code("ICRD"), ieng = code("IENG"), iprd = code("IPRD")
    static let icop = code("ICOP"), icmt = code("ICMT"), isft = code("ISFT")
    static let smpl = code("smpl"), sm24 = code("sm24")
    static let phdr = code("phdr"), pbag = code("pbag"), pmod = code("pmod"), pgen = code("pgen")
    static let inst = code("inst"), ibag = code("ibag"), imod = code("imod"), igen = code("igen")
    static let shdr = code("shdr")
}
