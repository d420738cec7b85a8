/// A growing byte buffer for RIFF files: little-endian integers, fixed-width names, chunks.
struct LittleEndianBytes {
    var bytes: [UInt8] = []

    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }

    mutating func append(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func append(_ value: Int16) { append(UInt16(bitPattern: value)) }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func append(fourCC: String) {
        let code = Array(fourCC.utf8)
        precondition(code.count == 4, "a chunk id has four ASCII characters")
        bytes.append(contentsOf: code)
    }

    /// A fixed 20-byte SF2 name: UTF-8 cut at a character boundary, zero-filled.
    mutating func append(name: String) {
        let utf8 = Self.truncatedUTF8(name, maximumBytes: 20)
        bytes.append(contentsOf: utf8)
        bytes.append(contentsOf: repeatElement(0, count: 20 - utf8.count))
    }

    /// A chunk: id, 32-bit size, body, and a pad byte when the size is odd.
    mutating func appendChunk(_ id: String, _ body: [UInt8]) {
        append(fourCC: id)
        append(UInt32(body.count))
        bytes.append(contentsOf: body)
        if body.count % 2 == 1 { bytes.append(0) }
    }

    /// A LIST chunk of the given type holding already-serialized sub-chunks.
    mutating func appendList(_ type: String, _ body: [UInt8]) {
        var list = LittleEndianBytes()
        list.append(fourCC: type)
        list.bytes.append(contentsOf: body)
        appendChunk("LIST", list.bytes)
    }

    /// The UTF-8 bytes of `string`, at most `maximumBytes` long, never splitting a character.
    static func truncatedUTF8(_ string: String, maximumBytes: Int) -> [UInt8] {
        var result: [UInt8] = []
        for character in string {
            let utf8 = Array(character.utf8)
            if result.count + utf8.count > maximumBytes { break }
            result.append(contentsOf: utf8)
        }
        return result
    }
}
