package dev.genledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The time range a request covers: rows with {@code from <= started_at < to}, and the zone whose
 * calendar days the daily series uses.
 *
 * @param name {@code 7d}, {@code 30d}, {@code 90d}, {@code all}, {@code mtd} or {@code custom}
 */
record Window(String name, Instant from, Instant to, ZoneId zone) {
    Window {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("window: from " + from + " is not before to " + to);
        }
    }

    /** Every calendar day in the zone that the window touches, first to last. */
    List<LocalDate> days() {
        LocalDate first = LocalDate.ofInstant(from, zone);
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), zone);
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            out.add(d);
        }
        return out;
    }
}
