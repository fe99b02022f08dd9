"""The pure core: types, rules, decisions and state machines. No I/O, no clock, no randomness."""
