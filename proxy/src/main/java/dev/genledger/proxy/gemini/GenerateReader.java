package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;

/**
 * Reads GenerateContentResponse objects: one (unary), one per SSE event, or the elements of a
 * streamed JSON array; the same instance sees them all, in order.
 *
 * <p>{@code usageMetadata} is cumulative in a stream, so each complete object replaces the last
 * one and nothing is ever summed. An object counts only once it has closed: a stream cut inside
 * one keeps the previous, whole, counts.
 */
final class GenerateReader implements JsonStream.Listener {
    private static final String USAGE = "usageMetadata";
    private static final String USAGE_DOT = USAGE + ".";
    private static final String PART = "candidates[].content.parts[]";

    final GeminiError error = new GeminiError();
    private UsageMetadata reading;
    private UsageMetadata last;
    private static final String MODALITY = ".modality";
    private static final String TOKEN_COUNT = ".tokenCount";
    private String detailEntry;
    private String detailModality;
    private long detailTokens;
    private String modelVersion;
    private String responseId;
    private String blockReason;
    private boolean finishSeen;
    private long textChars;
    private int inlineParts;
    private int audioParts;

    @Override
    public void value(String rawPath, JsonToken token, JsonStream s) throws IOException {
        String path = GeminiError.unwrap(rawPath);
        if (reading != null && path.startsWith(USAGE_DOT)) {
            usageValue(path, token, s);
            return;
        }
        switch (path) {
            // a stream repeats these in every event: read without a new string each time
            case "modelVersion" -> modelVersion = s.text(modelVersion);
            case "responseId" -> responseId = s.text(responseId);
            case "promptFeedback.blockReason" -> blockReason = s.text();
            case "candidates[].finishReason" -> finishSeen = true;
            case PART + ".text" -> {
                if (last == null) {
                    // only an estimate without usage reads it: once usage has come, it never will
                    textChars += s.textCodePoints();
                }
            }
            case PART + ".inlineData.mimeType" -> {
                if (s.text().startsWith("audio/")) {
                    audioParts++;
                }
            }
            default -> error.value(path, token, s);
        }
    }

    private void usageValue(String path, JsonToken token, JsonStream s) throws IOException {
        // paths are compared in place, never cut: a stream repeats usageMetadata in every event
        String entry = detailEntry;
        if (entry != null && path.length() > entry.length() && path.startsWith(entry)
                && path.charAt(entry.length()) == '.') {
            if (path.length() == entry.length() + MODALITY.length() && path.endsWith(MODALITY)) {
                // only the modalities with a price of their own are kept; no string per event for the rest
                detailModality = s.textEquals("AUDIO") ? "AUDIO" : s.textEquals("IMAGE") ? "IMAGE" : "";
            } else if (path.length() == entry.length() + TOKEN_COUNT.length() && path.endsWith(TOKEN_COUNT)) {
                detailTokens = s.longValue();
            }
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING) {
            reading.count(path, s.longValue());
        }
    }

    @Override
    public void start(String rawPath, boolean array) {
        String path = GeminiError.unwrap(rawPath);
        if (path.equals(USAGE) && !array) {
            reading = new UsageMetadata();
        } else if (reading != null && !array && path.startsWith(USAGE_DOT) && path.endsWith("[]")) {
            detailEntry = path; // an entry of a details list: usageMetadata.promptTokensDetails[]
            detailModality = null;
            detailTokens = 0;
        } else if (path.equals(PART + ".inlineData")) {
            inlineParts++;
        }
    }

    @Override
    public void end(String rawPath, boolean array, int elements) {
        if (reading == null) {
            return;
        }
        String path = GeminiError.unwrap(rawPath);
        if (path.equals(USAGE)) {
            last = reading;
            reading = null;
        } else if (detailEntry != null && !array && path.equals(detailEntry)) {
            reading.detail(detailEntry, detailModality, detailTokens);
            detailEntry = null;
        }
    }

    /** The last complete usageMetadata, or null when none was seen. */
    UsageMetadata usage() {
        return last;
    }

    String modelVersion() {
        return modelVersion;
    }

    String responseId() {
        return responseId;
    }

    String blockReason() {
        return blockReason;
    }

    boolean finishSeen() {
        return finishSeen;
    }

    /**
     * Code points of candidate text (answers and thoughts) seen before the first complete
     * usageMetadata, each part cut at the parser's cap: what an estimate without usage rests on.
     */
    long textChars() {
        return textChars;
    }

    /** Inline image parts started in candidates (an inline part that is not audio). */
    int imageParts() {
        return inlineParts - audioParts;
    }
}
