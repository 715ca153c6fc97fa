package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads what one family of OpenAI routes says about a generation: the model and parameters in the
 * request, the usage in the response, and, when the usage is missing, what the estimate rests on.
 * {@link OpenAiExchange} does the framing (JSON body, SSE events, multipart form, binary audio) and
 * hands each JSON value here with its path; a meter only knows its API's field names.
 *
 * <p>Response documents come with an {@code event}: null for a plain JSON body, the SSE event type
 * ({@code ""} when the event has none) for the data of one event.
 */
abstract sealed class Meter permits TextMeter, EmbeddingsMeter, ImageMeter, SpeechMeter,
        TranscriptionMeter, ControlMeter {
    /** How the exchange read the response body. */
    enum Body {
        /** No response (the exchange ended before a response head). */
        NONE,
        JSON,
        /** Server-sent events. */
        EVENTS,
        /** Binary audio (speech). */
        AUDIO,
        /** Plain text (a transcription as text, srt or vtt). */
        TEXT,
        /** A body with nothing to read (a control call's listing or download). */
        OTHER
    }

    /**
     * @param body     how the response body was read; NONE when there was no response
     * @param complete the whole response arrived (the exchange ended COMPLETE after the body's end)
     */
    record Outcome(Body body, boolean complete) {}

    /** What a meter concluded. */
    record Metered(String model, Usage usage, boolean incomplete, AsyncJob job) {}

    protected final UsageTally usage = new UsageTally();
    protected String requestModel;
    protected String responseModel;
    protected boolean requestStream;

    // ------------------------------------------------------------------ request

    /** The string cap of the request's JSON parser (the default loses nothing a meter reads). */
    int requestStringCap() {
        return JsonStream.DEFAULT_MAX_STRING_BYTES;
    }

    /**
     * A value of a JSON request body.
     *
     * @param stringBytes the full UTF-8 length of a string value, however much of it the parser kept
     */
    final void requestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {
        if (path.equals("model") && token == JsonToken.VALUE_STRING) {
            requestModel = s.text();
        } else if (path.equals("stream")) {
            requestStream = token == JsonToken.VALUE_TRUE;
        }
        onRequestValue(path, token, s, stringBytes);
    }

    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {}

    /** A text field of a multipart request. */
    final void requestField(String name, String value) {
        if (name.equals("model")) {
            requestModel = value.strip();
        } else if (name.equals("stream")) {
            requestStream = value.strip().equalsIgnoreCase("true");
        }
        onRequestField(name, value.strip());
    }

    void onRequestField(String name, String value) {}

    /** Whether the request asked for an event stream (the response is read as one when it has no media type). */
    boolean expectsEvents() {
        return requestStream;
    }

    // ------------------------------------------------------------------ response

    /** Where this API's usage object sits in a response document; null when it has none there. */
    String usagePath(String event) {
        return "usage";
    }

    final void responseStart(String event, String path, boolean array) {
        if (!array && path.equals(usagePath(event))) {
            usage.begin();
        }
    }

    final void responseEnd(String event, String path, boolean array, int elements) {
        if (!array && path.equals(usagePath(event))) {
            usage.end();
        }
        onResponseEnd(event, path, array, elements);
    }

    void onResponseEnd(String event, String path, boolean array, int elements) {}

    final void responseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        String at = usagePath(event);
        if (at != null && path.length() > at.length() + 1 && path.startsWith(at) && path.charAt(at.length()) == '.') {
            usage.read(field(path, at.length() + 1), s);
        } else {
            onResponseValue(event, path, token, s);
        }
    }

    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {}

    /** Usage fields by their full path (paths are few and interned): no substring per value read. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> FIELDS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code path} from {@code from} on, the usage object's own field path. */
    private static String field(String path, int from) {
        String f = FIELDS.get(path);
        if (f == null || f.length() != path.length() - from) {
            f = path.substring(from);
            if (FIELDS.size() < 4096) {
                FIELDS.put(path, f);
            }
        }
        return f;
    }

    /** Bytes of a binary response body (speech audio). */
    void audio(String mediaType, ByteBuffer chunk) {}

    // ------------------------------------------------------------------ result

    /** The model: the response's (a dated snapshot) when it names one, else the request's. */
    String model() {
        return responseModel != null ? responseModel : requestModel;
    }

    /** Usage of an error response: none, unless the body reported some. */
    Usage errorUsage() {
        return usage.reported() ? usage.toBuilder(UsageTally.Output.MIXED).build() : Usage.NONE;
    }

    /** The conclusion, once the exchange is over and the response was not an error. */
    abstract Metered finish(Outcome outcome);

    protected Metered metered(Usage u, boolean incomplete) {
        return new Metered(model(), u, incomplete, AsyncJob.NONE);
    }

    static String text(JsonToken token, JsonStream s) throws IOException {
        return token == JsonToken.VALUE_STRING ? s.text() : null;
    }

    /** As {@link #text(JsonToken, JsonStream)}, returning {@code previous} when equal (a stream repeats it per event). */
    static String text(JsonToken token, JsonStream s, String previous) throws IOException {
        return token == JsonToken.VALUE_STRING ? s.text(previous) : null;
    }
}
