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
    private String detailList;
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
            usageValue(path.substring(USAGE_DOT.length()), token, s);
            return;
        }
        switch (path) {
            case "modelVersion" -> modelVersion = s.text();
            case "responseId" -> responseId = s.text();
            case "promptFeedback.blockReason" -> blockReason = s.text();
            case "candidates[].finishReason" -> finishSeen = true;
            case PART + ".text" -> {
                String t = s.text();
                textChars += t.codePointCount(0, t.length());
            }
            case PART + ".inlineData.mimeType" -> {
                if (s.text().startsWith("audio/")) {
                    audioParts++;
                }
            }
            default -> error.value(path, token, s);
        }
    }

    private void usageValue(String field, JsonToken token, JsonStream s) throws IOException {
        if (detailList != null && field.startsWith(detailList) && field.startsWith("[].", detailList.length())) {
            String leaf = field.substring(detailList.length() + 3);
            if (leaf.equals("modality")) {
                detailModality = s.text();
            } else if (leaf.equals("tokenCount")) {
                detailTokens = s.longValue();
            }
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING) {
            reading.count(field, s.longValue());
        }
    }

    @Override
    public void start(String rawPath, boolean array) {
        String path = GeminiError.unwrap(rawPath);
        if (path.equals(USAGE) && !array) {
            reading = new UsageMetadata();
        } else if (reading != null && path.startsWith(USAGE_DOT) && !array && path.endsWith("[]")) {
            detailList = path.substring(USAGE_DOT.length(), path.length() - 2);
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
        } else if (detailList != null && !array && path.equals(USAGE_DOT + detailList + "[]")) {
            reading.detail(detailList, detailModality, detailTokens);
            detailList = null;
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

    /** Code points of candidate text (answers and thoughts) seen, each part cut at the parser's cap. */
    long textChars() {
        return textChars;
    }

    /** Inline image parts started in candidates (an inline part that is not audio). */
    int imageParts() {
        return inlineParts - audioParts;
    }
}
