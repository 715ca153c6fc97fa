package dev.genledger.proxy.openai;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The rules of thumb behind every estimate the OpenAI meters make when the provider's usage is
 * missing (a stream cut short, a client that did not ask for usage, a body with none). Each row
 * built from them is marked estimated, so the dashboard can tell them from reported counts.
 */
final class Estimates {
    private Estimates() {}

    /**
     * Tokens for a text of this many UTF-8 bytes: OpenAI's rule of thumb of about four characters
     * of English per token, rounded up so that any text counts at least one token.
     */
    static long tokensForBytes(long bytes) {
        return (Math.max(0, bytes) + 3) / 4;
    }

    /** Tokens for a text of this many characters, by the same rule of four per token. */
    static long tokensForChars(long chars) {
        return tokensForBytes(chars);
    }

    /**
     * Audio output tokens for this much speech: OpenAI prices gpt-4o-mini-tts audio output at
     * $12 per 1M tokens and states its cost as an estimated $0.015 per minute, which is 1,250 tokens
     * a minute (about 21 a second). Rounded up.
     */
    static long speechTokensForSeconds(BigDecimal seconds) {
        return seconds.multiply(BigDecimal.valueOf(1250))
                .divide(BigDecimal.valueOf(60), 0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * Image output tokens of one GPT image, by the table OpenAI publishes for gpt-image-1 (square
     * 1024x1024, portrait 1024x1536, landscape 1536x1024 at low, medium, high quality). An
     * {@code auto} or unknown size or quality counts as the middle of the table, medium square.
     */
    static long gptImageOutputTokens(String size, String quality) {
        int column = switch (size == null ? "" : size) {
            case "1024x1536" -> 1;
            case "1536x1024" -> 2;
            default -> 0;
        };
        long[] row = switch (quality == null ? "" : quality) {
            case "low" -> new long[] {272, 408, 400};
            case "high" -> new long[] {4160, 6240, 6208};
            default -> new long[] {1056, 1584, 1568};
        };
        return row[column];
    }
}
