package dev.genledger.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Partial aggregates of closed days and hours, each stored with the version of its hours when it
 * was computed. An entry is used only while the version read in the same snapshot is equal, so a
 * hit is exactly what the query would compute now. Bounded by approximate bytes; least recently
 * and least frequently used entries go first (Caffeine's W-TinyLFU).
 */
final class UnitCache {
    /** Default bound: 120 days at 10 million rows take 20-30 MB per filter combination for all endpoints. */
    static final long DEFAULT_MAX_BYTES = 128L * 1024 * 1024;

    record Key(Object query, Unit unit) {}

    private record Entry(long version, Object partial, long weight) {}

    private final Cache<Key, Entry> cache;

    UnitCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.weight()))
                .build();
    }

    /** The partial stored for the key at exactly this version, or null. */
    @SuppressWarnings("unchecked")
    <P> P get(Key key, long version) {
        Entry e = cache.getIfPresent(key);
        return e != null && e.version() == version ? (P) e.partial() : null;
    }

    void put(Key key, long version, Object partial, long weight) {
        cache.put(key, new Entry(version, partial, weight));
    }

    long size() {
        return cache.estimatedSize();
    }

    void clear() {
        cache.invalidateAll();
    }
}
