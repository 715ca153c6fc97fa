package dev.genledger.proxy.replicate;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Reads a prediction object: its id, model, status, error, output files and {@code metrics}.
 * Metrics are present only once the prediction is terminal.
 */
final class PredictionReader implements JsonStream.Listener {
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    private String id;
    private String model;
    private String status;
    private String error;
    private BigDecimal predictSeconds;
    private long inputTokens;
    private long outputTokens;
    private long files;

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        if (path.equals("output") || path.startsWith("output[") || path.startsWith("output.")) {
            if (token == JsonToken.VALUE_STRING && isFile(s.text())) {
                files++;
            }
            return;
        }
        switch (path) {
            case "id" -> id = text(token, s);
            case "model" -> model = text(token, s);
            case "status" -> status = text(token, s);
            case "error" -> error = text(token, s);
            case "metrics.predict_time" -> predictSeconds = s.decimal();
            case "metrics.input_token_count" -> inputTokens = s.longValue();
            case "metrics.output_token_count" -> outputTokens = s.longValue();
            default -> { }
        }
    }

    /**
     * An output file: Replicate returns files as URLs (replicate.delivery), or as data URIs in sync
     * mode. A language model's output is an array of text pieces, never URLs, so counting URLs counts
     * images, videos and audio files alike and never tokens.
     */
    private static boolean isFile(String value) {
        return value.startsWith("https://") || value.startsWith("http://") || value.startsWith("data:");
    }

    private static String text(JsonToken token, JsonStream s) throws IOException {
        return token == JsonToken.VALUE_STRING ? s.text() : null;
    }

    String id() {
        return id;
    }

    String model() {
        return model;
    }

    String status() {
        return status;
    }

    boolean terminal() {
        return status != null && TERMINAL.contains(status);
    }

    /**
     * What a terminal prediction consumed: {@code predict_time} as billed seconds (a cancelled
     * prediction is billed for the time it ran; an aborted one never ran and is not charged), the
     * token counts of official language models, and the output files as images.
     */
    Usage usage() {
        if (status.equals("aborted")) {
            return Usage.NONE;
        }
        return Usage.builder()
                .mediaSeconds(predictSeconds != null && predictSeconds.signum() > 0 ? predictSeconds : BigDecimal.ZERO)
                .inputTokens(inputTokens)
                .outputTokens(outputTokens)
                .images(files)
                .build();
    }

    /** Why a terminal prediction did not succeed, or null when it did. */
    String failure() {
        return switch (status) {
            case "succeeded" -> null;
            case "failed" -> error != null ? ReplicateError.cut(error) : "failed";
            default -> error != null ? ReplicateError.cut(error) : status; // canceled, aborted
        };
    }

    /** The status that best describes how the prediction ended. */
    int httpStatus() {
        return switch (status) {
            case "succeeded" -> 200;
            case "canceled" -> 499; // ended by the client's cancel
            case "aborted" -> 504;  // its Cancel-After deadline passed before it ran
            default -> 500;         // failed
        };
    }
}
