package dev.genledger.api;

/** {@code window} in every aggregate answer: what was asked for, as UTC instants. */
record WindowView(String name, String from, String to, String tz) {
    static WindowView of(Window w) {
        return new WindowView(w.name(), w.from().toString(), w.to().toString(), w.zone().getId());
    }
}
