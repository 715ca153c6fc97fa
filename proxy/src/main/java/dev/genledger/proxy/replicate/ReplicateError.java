package dev.genledger.proxy.replicate;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.ErrorReader;
import java.io.IOException;

/** Reads Replicate's problem+json errors, {@code {"title","detail","status"}} (or a bare {@code detail}). */
final class ReplicateError implements ErrorReader {
    static final int MAX_MESSAGE = 500;

    private String title;
    private String detail;

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return;
        }
        switch (path) {
            case "title" -> title = s.text();
            case "detail" -> detail = s.text();
            default -> { }
        }
    }

    /** The detail, else the title, cut to {@value #MAX_MESSAGE} characters; null if neither. */
    @Override
    public String message() {
        return cut(detail != null ? detail : title);
    }

    static String cut(String s) {
        if (s == null || s.length() <= MAX_MESSAGE) {
            return s;
        }
        return s.substring(0, Character.isHighSurrogate(s.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE);
    }
}
