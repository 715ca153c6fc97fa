package dev.genledger.pricing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a model's price history from the name a generation recorded. In order, each step tried
 * on the name left by the previous ones: exact name; an alias declared on an entry; the name in
 * any letter case; without a {@code models/} prefix (Gemini paths); without a dated snapshot
 * suffix ({@code -2024-08-06}, {@code -0125}, {@code -001}); for Replicate, without
 * {@code :version}. A name that is itself an entry is therefore never shortened
 * ({@code imagen-4.0-generate-001}, {@code gpt-4o-2024-05-13}).
 */
final class ModelIndex {
    /** One model's entries by effective date. */
    record History(String provider, String model, NavigableMap<LocalDate, CatalogEntry> byDate) {
        /** The entry in effect on the day: the latest with effective_from on or before it; null if none. */
        CatalogEntry at(LocalDate day) {
            Map.Entry<LocalDate, CatalogEntry> e = byDate.floorEntry(day);
            return e == null ? null : e.getValue();
        }
    }

    private static final Pattern SNAPSHOT = Pattern.compile(
            "(.+)-(?:(\\d{4})-(\\d{2})-(\\d{2})|(\\d{2})(\\d{2})|\\d{3})");

    private final Map<String, History> exact = new HashMap<>();
    private final Map<String, History> aliases = new HashMap<>();
    private final Map<String, History> anyCase = new HashMap<>();

    /** @param entries at most one per provider, model and effective date */
    ModelIndex(Collection<CatalogEntry> entries) {
        Map<String, TreeMap<LocalDate, CatalogEntry>> byModel = new TreeMap<>();
        for (CatalogEntry e : entries) {
            byModel.computeIfAbsent(key(e.provider(), e.model()), k -> new TreeMap<>()).put(e.effectiveFrom(), e);
        }
        for (TreeMap<LocalDate, CatalogEntry> dates : byModel.values()) {
            CatalogEntry first = dates.firstEntry().getValue();
            exact.put(key(first.provider(), first.model()),
                    new History(first.provider(), first.model(), java.util.Collections.unmodifiableNavigableMap(dates)));
        }
        for (History h : exact.values()) {
            for (CatalogEntry e : h.byDate().values()) {
                for (String alias : e.aliases()) {
                    String k = key(h.provider(), alias);
                    History other = exact.containsKey(k) ? exact.get(k) : aliases.get(k);
                    if (other != null && other != h) {
                        throw new IllegalArgumentException("pricing: alias \"" + alias + "\" of " + h.provider() + "/"
                                + h.model() + " (" + e.origin() + ") already names " + other.provider() + "/"
                                + other.model() + "; remove one of them");
                    }
                    aliases.put(k, h);
                }
            }
        }
        Set<String> ambiguous = new HashSet<>();
        List<Map.Entry<String, History>> names = new ArrayList<>(exact.entrySet());
        names.addAll(aliases.entrySet());
        for (Map.Entry<String, History> n : names) {
            String lower = n.getKey().toLowerCase(Locale.ROOT);
            History prev = anyCase.putIfAbsent(lower, n.getValue());
            if (prev != null && prev != n.getValue()) {
                ambiguous.add(lower); // two models differ only in case: case-insensitive lookup cannot choose
            }
        }
        ambiguous.forEach(anyCase::remove);
    }

    private static String key(String provider, String model) {
        return provider + "\u0000" + model;
    }

    /**
     * Names already resolved, by provider and then name; {@link #NOT_FOUND} for a name that
     * resolves to nothing. Every generation is priced on the proxy's event loop, and most name a
     * dated snapshot, whose resolution tries several candidates: the answer for a name is
     * computed once. Bounded: past {@code MAX_MEMO} names, new ones are resolved each time.
     */
    private static final int MAX_MEMO = 4096;
    private static final Object NOT_FOUND = new Object();
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.ConcurrentHashMap<String, Object>>
            memo = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger memoSize = new java.util.concurrent.atomic.AtomicInteger();

    /** The model's history, or null when no step of the resolution finds it. */
    History resolve(String provider, String model) {
        java.util.concurrent.ConcurrentHashMap<String, Object> known = memo.get(provider);
        Object m = known == null ? null : known.get(model);
        if (m != null) {
            return m == NOT_FOUND ? null : (History) m;
        }
        History h = resolveUncached(provider, model);
        if (memoSize.get() < MAX_MEMO) {
            if (known == null) {
                known = memo.computeIfAbsent(provider, k -> new java.util.concurrent.ConcurrentHashMap<>());
            }
            if (known.putIfAbsent(model, h == null ? NOT_FOUND : h) == null) {
                memoSize.incrementAndGet();
            }
        }
        return h;
    }

    private History resolveUncached(String provider, String model) {
        History h = exact.get(key(provider, model)); // the common case, without building candidates
        if (h != null) {
            return h;
        }
        for (String candidate : candidates(provider, model)) {
            h = lookup(provider, candidate);
            if (h != null) {
                return h;
            }
        }
        return null;
    }

    private History lookup(String provider, String name) {
        String k = key(provider, name);
        History h = exact.get(k);
        if (h == null) {
            h = aliases.get(k);
        }
        if (h == null) {
            h = anyCase.get(k.toLowerCase(Locale.ROOT));
        }
        return h;
    }

    /** The names to try, in order. */
    static Set<String> candidates(String provider, String model) {
        Set<String> out = new LinkedHashSet<>();
        String name = model.strip();
        out.add(name);
        if (name.startsWith("models/")) {
            name = name.substring("models/".length());
            out.add(name);
        }
        String unsnapshot = stripSnapshot(name);
        if (unsnapshot != null) {
            name = unsnapshot;
            out.add(name);
        }
        if (provider.equals("replicate") && name.indexOf(':') > 0) {
            out.add(name.substring(0, name.indexOf(':')));
        }
        return out;
    }

    /** {@code gpt-4o-2024-08-06} → {@code gpt-4o}, {@code gpt-3.5-turbo-0125} → {@code gpt-3.5-turbo}; null if none. */
    static String stripSnapshot(String name) {
        Matcher m = SNAPSHOT.matcher(name);
        if (!m.matches()) {
            return null;
        }
        if (m.group(2) != null && !isMonthDay(m.group(3), m.group(4))) {
            return null;
        }
        if (m.group(5) != null && !isMonthDay(m.group(5), m.group(6))) {
            return null;
        }
        return m.group(1);
    }

    private static boolean isMonthDay(String month, String day) {
        int mm = Integer.parseInt(month);
        int dd = Integer.parseInt(day);
        return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
    }

    Collection<History> histories() {
        return exact.values();
    }
}
