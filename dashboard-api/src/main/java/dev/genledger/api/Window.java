package dev.genledger.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
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

    boolean utc() {
        return zone.getRules().isFixedOffset() && zone.getRules().getOffset(from).equals(ZoneOffset.UTC);
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

    /**
     * Whether every offset the zone uses inside the window is a whole number of hours, so that an
     * hourly rollup row lies wholly inside one local day.
     */
    boolean wholeHourOffsets() {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        ZoneOffsetTransition t = rules.nextTransition(from);
        while (t != null && t.getInstant().isBefore(to)) {
            if (t.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
                return false;
            }
            t = rules.nextTransition(t.getInstant());
        }
        return true;
    }
}
