import ArgumentParser
import AttaccaCore

/// `--bank-select gs|gm|xg|mma`.
extension BankSelectStyle: ExpressibleByArgument {}
