package dev.genledger.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stored relation answers which part of a window. Rollups are exact sums maintained with the
 * rows, so a window is cut into the largest pieces a rollup holds whole:
 *
 * <pre>
 *   from ─ raw ─┬─ hourly ──┬──────── daily (whole UTC days) ────────┬─ hourly ─┬─ raw ─ to
 *          partial hour   whole hours                            whole hours   partial hour
 * </pre>
 *
 * For a rolling window (7d = the last 168 hours) the two raw pieces together are one hour of rows
 * and the two hourly pieces together one day of hourly rows. Relations that only exist per day
 * (article_daily, tag_daily, latency_hist_daily) take the partial days at the edges from raw rows.
 * Filters a rollup cannot answer (article_id, tag, or a dimension it lacks) send the whole window
 * to raw rows.
 */
record Plan(List<Part> parts) {

    /** A piece of the window and the relation that answers it. */
    sealed interface Part {}

    /** Whole UTC days {@code [from, to)} from a daily relation. */
    record Daily(LocalDate from, LocalDate to) implements Part {}

    /** Whole UTC hours {@code [from, to)} from {@code rollup_hourly}. */
    record Hourly(Instant from, Instant to) implements Part {}

    /** Raw rows with {@code from <= started_at < to}. */
    record Raw(Instant from, Instant to) implements Part {}

    /**
     * Moves the hours of the {@link Daily} parts whose local date differs from their UTC date
     * (e.g. 23:00 UTC is tomorrow in Berlin) from the UTC day to the local day, so daily series
     * in a time zone with whole-hour offsets still come from daily rows.
     */
    record Band(List<Instant> hours) implements Part {}

    enum Granularity { HOURLY, DAILY_ONLY }

    static Plan raw(Window w) {
        return new Plan(List.of(new Raw(w.from(), w.to())));
    }

    static Plan of(Window w, Granularity granularity) {
        List<Part> parts = new ArrayList<>();
        Instant dayLo = ceil(w.from(), ChronoUnit.DAYS);
        Instant dayHi = w.to().truncatedTo(ChronoUnit.DAYS);
        if (dayLo.isBefore(dayHi)) {
            edge(parts, w.from(), dayLo, granularity);
            parts.add(new Daily(LocalDate.ofInstant(dayLo, ZoneOffset.UTC), LocalDate.ofInstant(dayHi, ZoneOffset.UTC)));
            edge(parts, dayHi, w.to(), granularity);
        } else {
            edge(parts, w.from(), w.to(), granularity);
        }
        return new Plan(List.copyOf(parts));
    }

    /** This plan plus the band hours that move its daily rows to the local days of {@code zone}. */
    Plan withBand(ZoneId zone) {
        List<Instant> hours = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Daily d) {
                for (LocalDate day = d.from(); day.isBefore(d.to()); day = day.plusDays(1)) {
                    Instant h = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                    for (int i = 0; i < 24; i++, h = h.plus(Duration.ofHours(1))) {
                        if (!LocalDate.ofInstant(h, zone).equals(day)) {
                            hours.add(h);
                        }
                    }
                }
            }
        }
        if (hours.isEmpty()) {
            return this;
        }
        List<Part> out = new ArrayList<>(parts);
        out.add(new Band(List.copyOf(hours)));
        return new Plan(List.copyOf(out));
    }

    private static void edge(List<Part> parts, Instant from, Instant to, Granularity granularity) {
        if (!from.isBefore(to)) {
            return;
        }
        if (granularity == Granularity.DAILY_ONLY) {
            parts.add(new Raw(from, to));
            return;
        }
        Instant hourLo = ceil(from, ChronoUnit.HOURS);
        Instant hourHi = to.truncatedTo(ChronoUnit.HOURS);
        if (!hourLo.isBefore(hourHi)) {
            parts.add(new Raw(from, to));
            return;
        }
        if (from.isBefore(hourLo)) {
            parts.add(new Raw(from, hourLo));
        }
        parts.add(new Hourly(hourLo, hourHi));
        if (hourHi.isBefore(to)) {
            parts.add(new Raw(hourHi, to));
        }
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(unit.getDuration());
    }
}
