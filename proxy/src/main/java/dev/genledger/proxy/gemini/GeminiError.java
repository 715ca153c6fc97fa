package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;

/**
 * Reads Gemini's error shape {@code {"error":{"code":400,"message":…,"status":"INVALID_ARGUMENT"}}},
 * wherever it appears: an error response, an element of a streamed array, or the raw object Gemini
 * writes into an SSE stream when it fails midway. Paths arrive without a root-array prefix.
 */
final class GeminiError {
    static final int MAX_MESSAGE = 500;

    private String message;
    private String status;
    private long code;

    /** Takes the value if it belongs to an error object; returns whether it did. */
    boolean value(String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "error.message" -> message = s.text();
            case "error.status" -> status = s.text();
            case "error.code" -> code = s.longValue();
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The {@code code}: the HTTP status in an error response, a google.rpc.Code in an operation. */
    long code() {
        return code;
    }

    boolean seen() {
        return message != null || status != null;
    }

    /** The provider's message, cut to {@value #MAX_MESSAGE} characters; the status name if no message. */
    String message() {
        return cut(message != null ? message : status);
    }

    static String cut(String s) {
        if (s == null || s.length() <= MAX_MESSAGE) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
        return s.substring(0, end);
    }

    /** A path without the {@code [].} of a root array (the non-SSE stream is one JSON array). */
    static String unwrap(String path) {
        if (path.isEmpty() || path.charAt(0) != '[') {
            return path; // an object at the root: the common case, checked first
        }
        if (path.startsWith("[].")) {
            return path.substring(3);
        }
        return path.equals("[]") ? "" : path;
    }
}
