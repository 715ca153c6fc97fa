package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;

/**
 * Counts the text a request sends to the model ({@code contents[].parts[].text},
 * {@code systemInstruction.parts[].text}, {@code content.parts[].text},
 * {@code requests[].content.parts[].text}: every string field named {@code text}), for the
 * estimates made when Gemini reports no usage.
 */
final class RequestText implements JsonStream.Listener {
    /**
     * Longest string read whole from a request. Embedding inputs are limited to 2,048 tokens (about
     * 8 KiB) and typical prompts are far shorter; a longer text is counted up to this cap, which
     * keeps the estimate a lower bound and the memory per exchange bounded. Inline base64 data is
     * cut here too and not counted.
     */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private long chars;

    static JsonStream stream(RequestText listener) {
        return new JsonStream(listener, MAX_TEXT_BYTES);
    }

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        if (token == JsonToken.VALUE_STRING && (path.equals("text") || path.endsWith(".text"))) {
            String t = s.text();
            chars += t.codePointCount(0, t.length());
        }
    }

    long chars() {
        return chars;
    }

    /**
     * Estimated tokens for {@code chars} characters: about four characters per token, the rule of
     * thumb Google gives for Gemini models, rounded up so that any text counts at least one token.
     */
    static long tokens(long chars) {
        return (chars + 3) / 4;
    }
}
