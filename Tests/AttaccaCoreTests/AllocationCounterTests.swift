import CAllocationCounter
import Testing

@Suite struct AllocationCounterTests {
    /// The counter itself must see an allocation, or a zero from it would prove nothing.
    @Test func countsAnAllocation() {
        attacca_allocation_counter_start()
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1000)
        let n = attacca_allocation_counter_stop()
        p.deallocate()
        #expect(n >= 1)
    }
}
