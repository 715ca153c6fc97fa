package dev.genledger.proxy.elevenlabs;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.ErrorReader;
import java.io.IOException;

/**
 * Reads ElevenLabs' error shapes: {@code {"detail":{"type","code","message","status","request_id"}}},
 * the legacy {@code {"detail":{"status":"quota_exceeded","message"}}}, FastAPI's validation list
 * {@code {"detail":[{"type","loc","msg",…}]}} and a plain {@code {"detail":"Not Found"}}.
 */
final class ElevenLabsError implements ErrorReader {
    static final int MAX_MESSAGE = 500;

    private String message;
    private String status;
    private String requestId;

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return;
        }
        switch (path) {
            case "detail", "detail.message" -> message = s.text();
            case "detail[].msg" -> {
                if (message == null) {
                    message = s.text(); // the first validation error
                }
            }
            case "detail.status" -> status = s.text();
            case "detail.request_id" -> requestId = s.text();
            default -> { }
        }
    }

    /** The message, else the status code word; cut to {@value #MAX_MESSAGE} characters; null if neither. */
    @Override
    public String message() {
        String m = message != null ? message : status;
        if (m == null || m.length() <= MAX_MESSAGE) {
            return m;
        }
        return m.substring(0, Character.isHighSurrogate(m.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE);
    }

    /** {@code detail.request_id}: error responses carry no request-id header. */
    @Override
    public String requestId() {
        return requestId;
    }
}
