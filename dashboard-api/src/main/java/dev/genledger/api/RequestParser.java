package dev.genledger.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.ledger.LedgerJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the common parameters (DESIGN.md, "Dashboard API contract"): the window and the filters.
 *
 * <p>Windows: {@code 7d}, {@code 30d}, {@code 90d} are the last 7, 30, 90 × 24 hours up to now;
 * {@code mtd} is the calendar month to date in {@code tz}; {@code all} runs from the start of the
 * first day holding a row to the end of today (or of the last row's day), in {@code tz}. Or
 * {@code from}/{@code to}: an ISO date means that day's midnight in {@code tz} ({@code to} a date
 * includes that day), an instant is taken as given; {@code to} defaults to now. The default is
 * {@code 30d}.
 */
final class RequestParser {
    static final Set<String> WINDOW_PARAMS = Set.of("window", "from", "to", "tz");
    static final Set<String> FILTER_PARAMS;
    static final Set<String> COMMON;

    static {
        Set<String> f = new HashSet<>();
        for (Filters.Dim d : Filters.Dim.values()) {
            f.add(d.param);
        }
        f.add("tag");
        FILTER_PARAMS = Set.copyOf(f);
        Set<String> all = new HashSet<>(f);
        all.addAll(WINDOW_PARAMS);
        COMMON = Set.copyOf(all);
    }

    /** The longest from/to range: ten years of zero-filled days is already a long answer. */
    static final int MAX_DAYS = 3_660;

    /** First and last {@code started_at} in the ledger; null when it is empty. */
    record Bounds(Instant first, Instant last) {}

    private final Clock clock;
    private final Supplier<Bounds> bounds;

    RequestParser(Clock clock, Supplier<Bounds> bounds) {
        this.clock = clock;
        this.bounds = bounds;
    }

    static Set<String> common(String... extra) {
        Set<String> s = new HashSet<>(COMMON);
        s.addAll(List.of(extra));
        return s;
    }

    Window window(Params p) {
        String name = p.single("window");
        String fromText = p.single("from");
        String toText = p.single("to");
        ZoneId zone = zone(p.single("tz"));
        Instant now = clock.instant();
        if (name != null && (fromText != null || toText != null)) {
            throw ApiException.badRequest("window", "window=" + name + " and from/to are alternatives; give either "
                    + "window or from (and optionally to)");
        }
        if (fromText != null || toText != null) {
            if (fromText == null) {
                throw ApiException.badRequest("from", "to is given without from; give from as well (an ISO date "
                        + "such as 2026-11-01 or an instant such as 2026-11-01T08:00:00Z)");
            }
            Instant from = instant("from", fromText, zone, false);
            Instant to = toText == null ? now : instant("to", toText, zone, true);
            if (!from.isBefore(to)) {
                throw ApiException.badRequest("from", "from (" + from + ") is not before to (" + to
                        + (toText == null ? ", now" : "") + "); give a from earlier than to");
            }
            if (Duration.between(from, to).toDays() > MAX_DAYS) {
                throw ApiException.badRequest("from", "from/to span " + Duration.between(from, to).toDays()
                        + " days (expected: at most " + MAX_DAYS + "); use window=all for everything");
            }
            return new Window("custom", from, to, zone);
        }
        String n = name == null ? "30d" : name;
        return switch (n) {
            case "7d" -> new Window(n, now.minus(Duration.ofDays(7)), now, zone);
            case "30d" -> new Window(n, now.minus(Duration.ofDays(30)), now, zone);
            case "90d" -> new Window(n, now.minus(Duration.ofDays(90)), now, zone);
            case "mtd" -> {
                Instant from = LocalDate.ofInstant(now, zone).withDayOfMonth(1).atStartOfDay(zone).toInstant();
                yield new Window(n, from, from.isBefore(now) ? now : from.plusNanos(1_000), zone);
            }
            case "all" -> all(zone, now);
            default -> throw ApiException.badParameter("window", n, "7d, 30d, 90d, all or mtd; or from/to");
        };
    }

    private Window all(ZoneId zone, Instant now) {
        Bounds b = bounds.get();
        Instant first = b == null ? now : b.first();
        Instant last = b == null || b.last().isBefore(now) ? now : b.last();
        Instant from = LocalDate.ofInstant(first, zone).atStartOfDay(zone).toInstant();
        Instant to = LocalDate.ofInstant(last, zone).plusDays(1).atStartOfDay(zone).toInstant();
        return new Window("all", from, to, zone);
    }

    static ZoneId zone(String tz) {
        if (tz == null) {
            return ZoneOffset.UTC;
        }
        String expected = "an IANA time zone such as Europe/Berlin or America/New_York, or UTC";
        try {
            ZoneId z = ZoneId.of(tz);
            if (z instanceof ZoneOffset && !z.equals(ZoneOffset.UTC)) {
                throw ApiException.badParameter("tz", tz, expected);
            }
            return z;
        } catch (DateTimeException e) {
            throw ApiException.badParameter("tz", tz, expected);
        }
    }

    private static Instant instant(String param, String text, ZoneId zone, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(param, text,
                    "an ISO date such as 2026-11-01 or an instant such as 2026-11-01T08:00:00Z");
        }
    }

    Filters filters(Params p) {
        Map<Filters.Dim, List<String>> values = new EnumMap<>(Filters.Dim.class);
        for (Filters.Dim d : Filters.Dim.values()) {
            values.put(d, p.all(d.param));
        }
        List<String> tags = p.all("tag").stream().map(RequestParser::tag).toList();
        return new Filters(values, tags);
    }

    /** {@code team:growth} as the JSON object {@code {"team":"growth"}}, escaped by Jackson. */
    private static String tag(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw ApiException.badParameter("tag", text, "key:value, e.g. tag=team:growth (repeat tag= for more)");
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = LedgerJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(text.substring(0, colon), text.substring(colon + 1));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
