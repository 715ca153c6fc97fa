package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One ledger row: one call through the gateway, normally one generation. Field names follow the
 * ledger columns and the API's JSON keys (DESIGN.md, "A generation").
 *
 * <p>{@code category} and {@code contentProduct} are the request headers' values as written; the
 * API reports a row's effective values (headers, else the article's), which the reader fills in.
 *
 * @param endpoint      method and upstream path without the query, e.g. {@code POST /v1/chat/completions}
 * @param latencyMs     request received → last byte to the client
 * @param ttfbMs        request received → first upstream response byte; null when no response came
 * @param incomplete    the exchange ended before the provider reported final usage (client hung up,
 *                      upstream reset); the usage is what was seen
 * @param completedAt   when a pending row was finalised; null otherwise
 */
public record Generation(
        UUID id,
        Instant startedAt,
        String provider,
        String operation,
        String endpoint,
        String model,
        Modality modality,
        String task,
        String articleId,
        String category,
        String contentProduct,
        String pipelineStep,
        UUID parentId,
        Map<String, String> tags,
        String keyId,
        int status,
        String error,
        boolean streamed,
        State state,
        Usage usage,
        Cost cost,
        double latencyMs,
        Double ttfbMs,
        long requestBytes,
        long responseBytes,
        String upstreamRequestId,
        boolean incomplete,
        Instant completedAt) implements LedgerRecord {

    /** A row is complete, or pending until an async job (a prediction, a video) is finalised. */
    public enum State {
        COMPLETE, PENDING;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static State fromWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Generation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(cost, "cost");
        tags = tags == null || tags.isEmpty() ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        if (status < 0 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " (expected: 0-999)");
        }
        if (latencyMs < 0 || Double.isNaN(latencyMs)) {
            throw new IllegalArgumentException("latencyMs: " + latencyMs + " (expected: >= 0)");
        }
        if (requestBytes < 0 || responseBytes < 0) {
            throw new IllegalArgumentException("bytes: " + requestBytes + "/" + responseBytes + " (expected: >= 0)");
        }
    }

    /** Whether the call failed (an HTTP error status or a transport error). */
    public boolean failed() {
        return status >= 400 || error != null;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a row step by step; the proxy fills it as an exchange progresses. */
    public static final class Builder {
        private UUID id;
        private Instant startedAt;
        private String provider;
        private String operation;
        private String endpoint;
        private String model;
        private Modality modality = Modality.NONE;
        private String task;
        private String articleId;
        private String category;
        private String contentProduct;
        private String pipelineStep;
        private UUID parentId;
        private Map<String, String> tags = Map.of();
        private String keyId;
        private int status;
        private String error;
        private boolean streamed;
        private State state = State.COMPLETE;
        private Usage usage = Usage.NONE;
        private Cost cost = Cost.UNPRICED;
        private double latencyMs;
        private Double ttfbMs;
        private long requestBytes;
        private long responseBytes;
        private String upstreamRequestId;
        private boolean incomplete;
        private Instant completedAt;

        private Builder() {}

        private Builder(Generation g) {
            id = g.id;
            startedAt = g.startedAt;
            provider = g.provider;
            operation = g.operation;
            endpoint = g.endpoint;
            model = g.model;
            modality = g.modality;
            task = g.task;
            articleId = g.articleId;
            category = g.category;
            contentProduct = g.contentProduct;
            pipelineStep = g.pipelineStep;
            parentId = g.parentId;
            tags = g.tags;
            keyId = g.keyId;
            status = g.status;
            error = g.error;
            streamed = g.streamed;
            state = g.state;
            usage = g.usage;
            cost = g.cost;
            latencyMs = g.latencyMs;
            ttfbMs = g.ttfbMs;
            requestBytes = g.requestBytes;
            responseBytes = g.responseBytes;
            upstreamRequestId = g.upstreamRequestId;
            incomplete = g.incomplete;
            completedAt = g.completedAt;
        }

        public Builder id(UUID v) { id = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder operation(String v) { operation = v; return this; }
        public Builder endpoint(String v) { endpoint = v; return this; }
        public Builder model(String v) { model = v; return this; }
        public Builder modality(Modality v) { modality = v; return this; }
        public Builder task(String v) { task = v; return this; }
        public Builder articleId(String v) { articleId = v; return this; }
        public Builder category(String v) { category = v; return this; }
        public Builder contentProduct(String v) { contentProduct = v; return this; }
        public Builder pipelineStep(String v) { pipelineStep = v; return this; }
        public Builder parentId(UUID v) { parentId = v; return this; }
        public Builder tags(Map<String, String> v) { tags = v; return this; }
        public Builder keyId(String v) { keyId = v; return this; }
        public Builder status(int v) { status = v; return this; }
        public Builder error(String v) { error = v; return this; }
        public Builder streamed(boolean v) { streamed = v; return this; }
        public Builder state(State v) { state = v; return this; }
        public Builder usage(Usage v) { usage = v; return this; }
        public Builder cost(Cost v) { cost = v; return this; }
        public Builder latencyMs(double v) { latencyMs = v; return this; }
        public Builder ttfbMs(Double v) { ttfbMs = v; return this; }
        public Builder requestBytes(long v) { requestBytes = v; return this; }
        public Builder responseBytes(long v) { responseBytes = v; return this; }
        public Builder upstreamRequestId(String v) { upstreamRequestId = v; return this; }
        public Builder incomplete(boolean v) { incomplete = v; return this; }
        public Builder completedAt(Instant v) { completedAt = v; return this; }

        public Generation build() {
            return new Generation(id, startedAt, provider, operation, endpoint, model, modality, task, articleId,
                    category, contentProduct, pipelineStep, parentId, tags, keyId, status, error, streamed, state,
                    usage, cost, latencyMs, ttfbMs, requestBytes, responseBytes, upstreamRequestId, incomplete,
                    completedAt);
        }
    }
}
