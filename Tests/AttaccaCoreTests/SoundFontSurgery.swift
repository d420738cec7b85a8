/// Edits a well-formed SF2 file while keeping the enclosing LIST and RIFF sizes consistent, so
/// a corruption test breaks exactly one thing.
enum SoundFontSurgery {
    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }

    static func setU16(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        bytes[at] = UInt8(truncatingIfNeeded: value)
        bytes[at + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }

    static func setU32(_ bytes: inout [UInt8], _ at: Int, _ value: Int) {
        setU16(&bytes, at, value & 0xFFFF)
        setU16(&bytes, at + 2, value >> 16 & 0xFFFF)
    }

    /// The body of chunk `id` (first occurrence).
    static func body(_ bytes: [UInt8], _ id: String) -> [UInt8] {
        let chunk = RIFFChunkMap(bytes)[id]!
        return Array(bytes[chunk.bodyOffset..<chunk.bodyOffset + chunk.size])
    }

    /// Offset of the body of chunk `id`.
    static func bodyOffset(_ bytes: [UInt8], _ id: String) -> Int { RIFFChunkMap(bytes)[id]!.bodyOffset }

    /// Replaces the body of chunk `id`, fixing its size, its LIST's and the RIFF's.
    static func replaceBody(_ bytes: [UInt8], _ id: String, with body: [UInt8]) -> [UInt8] {
        let map = RIFFChunkMap(bytes)
        let chunk = map[id]!
        let oldLength = chunk.size + chunk.size % 2, newLength = body.count + body.count % 2
        var result = bytes
        result.replaceSubrange(chunk.bodyOffset..<chunk.bodyOffset + oldLength,
                               with: body + (body.count % 2 == 1 ? [0] : []))
        setU32(&result, chunk.offset + 4, body.count)
        adjustParents(&result, map: map, of: chunk, by: newLength - oldLength)
        return result
    }

    /// Removes chunk `id` (a sub-chunk, or a whole LIST as "LIST:type").
    static func remove(_ bytes: [UInt8], _ id: String) -> [UInt8] {
        let map = RIFFChunkMap(bytes)
        let chunk = map[id]!
        let length = 8 + chunk.size + chunk.size % 2
        var result = bytes
        result.removeSubrange(chunk.offset..<chunk.offset + length)
        adjustParents(&result, map: map, of: chunk, by: -length)
        return result
    }

    private static func adjustParents(_ bytes: inout [UInt8], map: RIFFChunkMap, of chunk: RIFFChunkMap.Chunk, by delta: Int) {
        if !chunk.id.hasPrefix("LIST:"),
           let list = map.chunks.first(where: { $0.id.hasPrefix("LIST:") && $0.offset < chunk.offset && chunk.offset < $0.bodyOffset + $0.size }) {
            setU32(&bytes, list.offset + 4, list.size + delta)
        }
        setU32(&bytes, 4, u32(bytes, 4) + delta)
    }
}
