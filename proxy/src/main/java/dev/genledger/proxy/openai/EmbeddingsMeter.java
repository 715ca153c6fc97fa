package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;

/**
 * Embeddings ({@code POST /v1/embeddings}): input tokens in {@code usage.prompt_tokens}. With
 * {@code encoding_format: base64} each vector is one long string, which the parser skips.
 */
final class EmbeddingsMeter extends Meter {
    private long inputBytes;
    private long inputTokenIds;

    @Override
    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) {
        switch (path) {
            // input is a string, strings, token ids, or arrays of token ids
            case "input", "input[]", "input[][]" -> {
                if (token == JsonToken.VALUE_STRING) {
                    inputBytes += stringBytes;
                } else if (token == JsonToken.VALUE_NUMBER_INT) {
                    inputTokenIds++;
                }
            }
            default -> { }
        }
    }

    @Override
    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        if (path.equals("model")) {
            responseModel = text(token, s);
        }
    }

    @Override
    Metered finish(Outcome outcome) {
        if (usage.reported()) {
            return metered(usage.toBuilder(UsageTally.Output.MIXED).build(), false);
        }
        // No usage (a body cut short or not JSON): the input's text at four bytes a token, and
        // token-id inputs one token per id.
        return metered(Usage.builder()
                .inputTokens(Estimates.tokensForBytes(inputBytes) + inputTokenIds)
                .estimated(true)
                .build(), true);
    }
}
