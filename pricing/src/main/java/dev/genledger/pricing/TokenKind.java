package dev.genledger.pricing;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of tokens a catalog entry can price, each with its rate name (US dollars per
 * 1,000,000 tokens). A special kind (cached, audio, image) whose rate an entry does not set is
 * priced at its plain kind's rate.
 */
enum TokenKind {
    INPUT("input_per_1m_tokens", null, true),
    CACHED_INPUT("cached_input_per_1m_tokens", INPUT, true),
    INPUT_AUDIO("input_audio_per_1m_tokens", INPUT, true),
    INPUT_IMAGE("input_image_per_1m_tokens", INPUT, true),
    OUTPUT("output_per_1m_tokens", null, false),
    OUTPUT_AUDIO("output_audio_per_1m_tokens", OUTPUT, false),
    OUTPUT_IMAGE("output_image_per_1m_tokens", OUTPUT, false);

    private static final Map<String, TokenKind> BY_RATE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TokenKind::rate, Function.identity()));

    private final String rate;
    private final TokenKind fallback;
    private final boolean input;

    TokenKind(String rate, TokenKind fallback, boolean input) {
        this.rate = rate;
        this.fallback = fallback;
        this.input = input;
    }

    /** The rate name, e.g. {@code cached_input_per_1m_tokens}. */
    String rate() {
        return rate;
    }

    /** The kind whose rate applies when this one's is not set; null for the plain kinds. */
    TokenKind fallback() {
        return fallback;
    }

    boolean isInput() {
        return input;
    }

    /** The kind with this rate name, or null. */
    static TokenKind byRate(String name) {
        return BY_RATE.get(name);
    }

    /** How many tokens of this kind the usage counts; plain kinds are what the special kinds leave. */
    long count(Usage u) {
        return switch (this) {
            case INPUT -> Math.max(0, u.inputTokens() - u.cachedInputTokens() - u.inputAudioTokens()
                    - u.inputImageTokens());
            case CACHED_INPUT -> u.cachedInputTokens();
            case INPUT_AUDIO -> u.inputAudioTokens();
            case INPUT_IMAGE -> u.inputImageTokens();
            case OUTPUT -> Math.max(0, u.outputTokens() - u.outputAudioTokens() - u.outputImageTokens());
            case OUTPUT_AUDIO -> u.outputAudioTokens();
            case OUTPUT_IMAGE -> u.outputImageTokens();
        };
    }
}
