/// Where each chunk of a well-formed SF2 file is: a test-side walker, independent of the
/// reader, used to check the writer's layout and to aim corruptions at specific fields.
struct RIFFChunkMap {
    struct Chunk {
        var id: String
        /// Offset of the chunk header (the id).
        var offset: Int
        var size: Int
        var bodyOffset: Int { offset + 8 }
    }

    /// Sub-chunks of the three LISTs, in file order; LIST chunks themselves under "LIST:type".
    var chunks: [Chunk] = []

    init(_ bytes: [UInt8]) {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        func id(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        var offset = 12
        while offset + 12 <= bytes.count {
            let size = u32(offset + 4)
            let type = id(offset + 8)
            chunks.append(Chunk(id: "LIST:" + type, offset: offset, size: size))
            var inner = offset + 12
            let end = offset + 8 + size
            while inner + 8 <= end {
                let innerSize = u32(inner + 4)
                chunks.append(Chunk(id: id(inner), offset: inner, size: innerSize))
                inner += 8 + innerSize + innerSize % 2
            }
            offset = end + size % 2
        }
    }

    subscript(id: String) -> Chunk? { chunks.first { $0.id == id } }
}
