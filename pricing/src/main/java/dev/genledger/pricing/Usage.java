package dev.genledger.pricing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one generation consumed, normalised across providers, in the units providers bill.
 *
 * <p>Subset rules (so that nothing is counted twice): {@code cachedInputTokens},
 * {@code inputAudioTokens} and {@code inputImageTokens} are parts of {@code inputTokens};
 * {@code reasoningTokens}, {@code outputAudioTokens} and {@code outputImageTokens} are parts of
 * {@code outputTokens}. Gemini's thoughts are therefore added to output tokens by its adapter, and
 * also reported as reasoning tokens.
 *
 * @param mediaSeconds billed seconds of audio or video (input audio for transcription, output for
 *                     video and music); zero when not applicable
 * @param credits      provider credits where the provider bills in credits (ElevenLabs
 *                     {@code character-cost}); null when not reported
 * @param attributes   price-relevant facts that are not counts, such as {@code size},
 *                     {@code quality}, {@code resolution}, {@code service_tier}, {@code hardware};
 *                     sorted, never null
 * @param estimated    true when a count was derived (from the request, or a stream cut short)
 *                     rather than reported by the provider
 */
public record Usage(
        long inputTokens,
        long cachedInputTokens,
        long outputTokens,
        long reasoningTokens,
        long inputAudioTokens,
        long inputImageTokens,
        long outputAudioTokens,
        long outputImageTokens,
        long characters,
        long images,
        BigDecimal mediaSeconds,
        BigDecimal credits,
        Map<String, String> attributes,
        boolean estimated) {

    public static final Usage NONE = builder().build();

    public Usage {
        requireNonNegative("inputTokens", inputTokens);
        requireNonNegative("cachedInputTokens", cachedInputTokens);
        requireNonNegative("outputTokens", outputTokens);
        requireNonNegative("reasoningTokens", reasoningTokens);
        requireNonNegative("inputAudioTokens", inputAudioTokens);
        requireNonNegative("inputImageTokens", inputImageTokens);
        requireNonNegative("outputAudioTokens", outputAudioTokens);
        requireNonNegative("outputImageTokens", outputImageTokens);
        requireNonNegative("characters", characters);
        requireNonNegative("images", images);
        mediaSeconds = mediaSeconds == null ? BigDecimal.ZERO : mediaSeconds;
        if (mediaSeconds.signum() < 0) {
            throw new IllegalArgumentException("mediaSeconds: " + mediaSeconds + " (expected: >= 0)");
        }
        if (credits != null && credits.signum() < 0) {
            throw new IllegalArgumentException("credits: " + credits + " (expected: >= 0)");
        }
        attributes = attributes == null || attributes.isEmpty()
                ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    /** Input tokens that were not served from a cache. */
    public long uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Whether nothing at all was counted (an error before any work, or no usage seen). */
    public boolean isEmpty() {
        return inputTokens == 0 && outputTokens == 0 && characters == 0 && images == 0
                && mediaSeconds.signum() == 0 && (credits == null || credits.signum() == 0);
    }

    public String attribute(String name) {
        return attributes.get(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputTokens = inputTokens;
        b.cachedInputTokens = cachedInputTokens;
        b.outputTokens = outputTokens;
        b.reasoningTokens = reasoningTokens;
        b.inputAudioTokens = inputAudioTokens;
        b.inputImageTokens = inputImageTokens;
        b.outputAudioTokens = outputAudioTokens;
        b.outputImageTokens = outputImageTokens;
        b.characters = characters;
        b.images = images;
        b.mediaSeconds = mediaSeconds;
        b.credits = credits;
        b.attributes.putAll(attributes);
        b.estimated = estimated;
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder; extractors fill it as bytes arrive, then {@link #build()} once. */
    public static final class Builder {
        private long inputTokens;
        private long cachedInputTokens;
        private long outputTokens;
        private long reasoningTokens;
        private long inputAudioTokens;
        private long inputImageTokens;
        private long outputAudioTokens;
        private long outputImageTokens;
        private long characters;
        private long images;
        private BigDecimal mediaSeconds = BigDecimal.ZERO;
        private BigDecimal credits;
        private final Map<String, String> attributes = new TreeMap<>();
        private boolean estimated;

        private Builder() {}

        public Builder inputTokens(long v) { inputTokens = v; return this; }
        public Builder cachedInputTokens(long v) { cachedInputTokens = v; return this; }
        public Builder outputTokens(long v) { outputTokens = v; return this; }
        public Builder reasoningTokens(long v) { reasoningTokens = v; return this; }
        public Builder inputAudioTokens(long v) { inputAudioTokens = v; return this; }
        public Builder inputImageTokens(long v) { inputImageTokens = v; return this; }
        public Builder outputAudioTokens(long v) { outputAudioTokens = v; return this; }
        public Builder outputImageTokens(long v) { outputImageTokens = v; return this; }
        public Builder characters(long v) { characters = v; return this; }
        public Builder images(long v) { images = v; return this; }
        public Builder mediaSeconds(BigDecimal v) { mediaSeconds = Objects.requireNonNull(v); return this; }
        public Builder credits(BigDecimal v) { credits = v; return this; }
        public Builder estimated(boolean v) { estimated = v; return this; }

        public Builder attribute(String name, String value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
            return this;
        }

        public long inputTokens() { return inputTokens; }
        public long outputTokens() { return outputTokens; }
        public long images() { return images; }
        public long characters() { return characters; }
        public BigDecimal mediaSeconds() { return mediaSeconds; }

        public Usage build() {
            return new Usage(inputTokens, cachedInputTokens, outputTokens, reasoningTokens, inputAudioTokens,
                    inputImageTokens, outputAudioTokens, outputImageTokens, characters, images, mediaSeconds,
                    credits, attributes, estimated);
        }
    }
}
