/// Where voices mix their effect sends during one sub-block: mono reverb and chorus buses (64
/// frames each), and per-lane sums for the four-voice groups (`LowPassFilter.processQuadAndMix`),
/// added to the buses once per sub-block like the dry lanes.
struct SendBuses {
    let reverb: UnsafeMutablePointer<Float>
    let chorus: UnsafeMutablePointer<Float>
    let laneReverb: UnsafeMutablePointer<SIMD4<Float>>
    let laneChorus: UnsafeMutablePointer<SIMD4<Float>>
    /// A four-voice group's filtered points (lanes = voices), between its dry and send passes.
    let quadFiltered: UnsafeMutablePointer<SIMD4<Float>>
}
