import AttaccaALSA
import Testing

@Suite struct PCMTests {
    @Test func missingDeviceIsAOneLineError() {
        ALSALibrary.silenceDiagnostics()
        #expect {
            _ = try PCM(PCMConfiguration(device: "hw:9,0"))
        } throws: { error in
            guard let error = error as? ALSAError else { return false }
            return error.code < 0 && error.call == "snd_pcm_open" && error.description.contains("'hw:9,0'")
                && !error.description.contains("\n")
        }
    }

    @Test func nullDeviceTakesTheRequestedConfigurationAndPacesItself() throws {
        let pcm = try PCM(PCMConfiguration(device: "null", rate: 48000, format: .s16, periodSize: 32, periodCount: 2))
        let configuration = pcm.configuration
        let paced = pcm.isPacedByClock
        #expect(configuration.periodSize == 32)
        #expect(configuration.periodCount == 2)
        #expect(configuration.sampleFormat == .s16)
        #expect(paced)
    }

    @Test func formatNames() {
        #expect(PCMFormat(name: "s16_le") == .s16)
        #expect(PCMFormat(name: "S24_3LE") == .s24Packed)
        #expect(PCMFormat(name: "float") == .float)
        #expect(PCMFormat(name: "U8") == nil)
    }
}
