package dev.genledger.proxy.elevenlabs;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.parse.MultipartScanner;
import dev.genledger.proxy.provider.HeaderView;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * The request fields that matter for metering, from a JSON body (text to speech, dialogue, sound,
 * music) or a multipart form (speech to text, speech to speech).
 */
final class RequestFields implements JsonStream.Listener, MultipartScanner.Handler {
    /**
     * Longest string read whole. ElevenLabs accepts at most 40,000 characters of text (Flash v2.5);
     * even if every character came as a six-byte JSON escape (any BMP character), that is under 256 KiB, so the
     * character count of any accepted text is exact. Longer strings are cut, not held.
     */
    static final int MAX_TEXT_BYTES = 256 * 1024;

    private final JsonStream json;
    private final MultipartScanner form;
    private String modelId;
    private long textChars;
    private Long musicLengthMs;
    private long planMs;
    private BigDecimal durationSeconds;
    private boolean webhook;

    RequestFields(HeaderView headers) {
        String boundary = MultipartScanner.boundary(headers.get("content-type"));
        this.form = boundary == null ? null : new MultipartScanner(boundary, this);
        this.json = boundary == null ? new JsonStream(this, MAX_TEXT_BYTES) : null;
    }

    void feed(ByteBuffer chunk) {
        if (form != null) {
            form.feed(chunk);
        } else {
            json.feed(chunk);
        }
    }

    void end() {
        if (json != null) {
            json.end();
        }
    }

    @Override
    public void value(String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "model_id" -> modelId = token == JsonToken.VALUE_STRING ? s.text() : null;
            // text to speech: text; text to dialogue: the text of each input, all billed
            case "text", "inputs[].text" -> {
                if (token == JsonToken.VALUE_STRING) {
                    String t = s.text();
                    textChars += t.codePointCount(0, t.length());
                }
            }
            case "music_length_ms" -> musicLengthMs = token == JsonToken.VALUE_NULL ? null : s.longValue();
            case "composition_plan.sections[].duration_ms" -> planMs += s.longValue();
            case "duration_seconds" -> durationSeconds = token == JsonToken.VALUE_NULL ? null : s.decimal();
            default -> { }
        }
    }

    @Override
    public void field(String name, String value) {
        switch (name) {
            case "model_id" -> modelId = value.strip();
            case "webhook" -> webhook = value.strip().equalsIgnoreCase("true");
            default -> { }
        }
    }

    /** The model the request named, or null. */
    String modelId() {
        return modelId == null || modelId.isBlank() ? null : modelId;
    }

    /** Code points of the text to be spoken. */
    long textChars() {
        return textChars;
    }

    /**
     * The length of music asked for, in seconds: {@code music_length_ms}, or the sum of a
     * composition plan's section durations; null when the model chooses.
     */
    BigDecimal musicSeconds() {
        long ms = musicLengthMs != null ? musicLengthMs : planMs;
        if (ms <= 0) {
            return null;
        }
        BigDecimal seconds = BigDecimal.valueOf(ms, 3).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0) : seconds; // 30, not 3E+1
    }

    /** A sound effect's {@code duration_seconds}, or null (the model chooses). */
    BigDecimal durationSeconds() {
        return durationSeconds != null && durationSeconds.signum() > 0 ? durationSeconds : null;
    }

    /** Speech to text in asynchronous (webhook) mode. */
    boolean webhook() {
        return webhook;
    }
}
