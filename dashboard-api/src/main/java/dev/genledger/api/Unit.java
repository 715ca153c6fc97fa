package dev.genledger.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A piece of a window that is aggregated, and cached, on its own. A window is cut into the largest
 * pieces the ledger stores whole:
 *
 * <pre>
 *   from ─ span ─┬─ hours ──┬──────── days (whole UTC days) ────────┬─ hours ─┬─ span ─ to
 *          partial hour   whole hours                          whole hours   partial hour
 * </pre>
 *
 * A day is read from a daily rollup, an hour from {@code rollup_hourly} or, for relations kept per
 * day only (articles, tags, latency histogram), from the hour's raw rows; a span (the partial
 * hours at the edges, together at most one hour for a rolling window) always from raw rows. Days
 * and hours that lie wholly in the past are cached with the version of their hours
 * ({@code rollup_version}); spans never are.
 */
sealed interface Unit {
    Instant from();

    Instant to();

    /** A whole UTC day. */
    record Day(LocalDate day) implements Unit {
        public Instant from() {
            return day.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        public Instant to() {
            return from().plus(Duration.ofDays(1));
        }
    }

    /** A whole UTC hour. */
    record Hour(Instant from) implements Unit {
        public Instant to() {
            return from.plus(Duration.ofHours(1));
        }
    }

    /** Part of an hour at a window's edge. */
    record Span(Instant from, Instant to) implements Unit {}

    /** The units of a window, in time order; together they cover it exactly once. */
    static List<Unit> split(Window w) {
        List<Unit> out = new ArrayList<>();
        Instant dayLo = ceil(w.from(), ChronoUnit.DAYS);
        Instant dayHi = w.to().truncatedTo(ChronoUnit.DAYS);
        if (dayLo.isBefore(dayHi)) {
            edge(out, w.from(), dayLo);
            for (Instant d = dayLo; d.isBefore(dayHi); d = d.plus(Duration.ofDays(1))) {
                out.add(new Day(LocalDate.ofInstant(d, ZoneOffset.UTC)));
            }
            edge(out, dayHi, w.to());
        } else {
            edge(out, w.from(), w.to());
        }
        return out;
    }

    private static void edge(List<Unit> out, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return;
        }
        Instant hourLo = ceil(from, ChronoUnit.HOURS);
        Instant hourHi = to.truncatedTo(ChronoUnit.HOURS);
        if (!hourLo.isBefore(hourHi)) {
            out.add(new Span(from, to));
            return;
        }
        if (from.isBefore(hourLo)) {
            out.add(new Span(from, hourLo));
        }
        for (Instant h = hourLo; h.isBefore(hourHi); h = h.plus(Duration.ofHours(1))) {
            out.add(new Hour(h));
        }
        if (hourHi.isBefore(to)) {
            out.add(new Span(hourHi, to));
        }
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(unit.getDuration());
    }
}
