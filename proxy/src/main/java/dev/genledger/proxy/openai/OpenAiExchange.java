package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.parse.MultipartScanner;
import dev.genledger.proxy.parse.SseParser;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import dev.genledger.proxy.provider.RequestRewriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenAI request/response: the framing. The request body is read as JSON or as a multipart
 * form; the response body, by its media type, as JSON, server-sent events (each event's data a
 * JSON document of its own), binary audio or plain text. Every JSON value goes to the route's
 * {@link Meter}; the provider's error message ({@code error.message}) is taken here, whatever the
 * route. Nothing is held: parsers see each chunk once.
 */
final class OpenAiExchange implements Exchange {
    private static final Logger log = LoggerFactory.getLogger(OpenAiExchange.class);
    private static final int MAX_ERROR_MESSAGE = 500;

    private final Route route;
    private final Meter meter;
    private final RequestInfo request;
    private final boolean injectStreamUsage;
    private MeasuredJson requestJson;
    private MultipartScanner requestForm;
    private boolean requestReadable = true;

    private int status; // 0 until the response head
    private String requestId;
    private String mediaType = "";
    private Meter.Body body = Meter.Body.NONE;
    private JsonStream responseJson;
    private SseParser events;
    private Events eventHandler;
    private JsonStream event; // the data of the current event
    private String eventType = "";
    private boolean responseEnded;
    private boolean terminalEvent; // the stream's last event has passed (see responseDone)
    private boolean audioUnreadable;
    private String errorMessage;
    private StreamUsageRewriter rewriter;

    OpenAiExchange(RequestInfo request, boolean injectStreamUsage) {
        this.request = request;
        this.route = Route.of(request.method(), request.path());
        this.meter = switch (route.kind()) {
            case CHAT, COMPLETION -> new ChatMeter();
            case RESPONSES -> new ResponsesMeter(false);
            case RESPONSE_RETRIEVAL -> new ResponsesMeter(true);
            case EMBEDDINGS -> new EmbeddingsMeter();
            case IMAGE_GENERATION, IMAGE_EDIT -> new ImageMeter(false);
            case IMAGE_VARIATION -> new ImageMeter(true);
            case SPEECH -> new SpeechMeter();
            case TRANSCRIPTION -> new TranscriptionMeter();
            case CONTROL -> new ControlMeter();
        };
        this.injectStreamUsage = injectStreamUsage;
    }

    @Override
    public String operation() {
        return route.operation();
    }

    @Override
    public Modality modality() {
        return route.modality();
    }

    // ------------------------------------------------------------------ request

    @Override
    public void requestBody(ByteBuffer chunk) {
        if (requestJson == null && requestForm == null && requestReadable) {
            startRequestBody();
        }
        if (requestForm != null) {
            requestForm.feed(chunk);
        } else if (requestJson != null) {
            requestJson.feed(chunk);
        }
    }

    private void startRequestBody() {
        String contentType = request.headers().get("content-type");
        String boundary = MultipartScanner.boundary(contentType);
        String type = request.headers().mediaType();
        if (route.kind() == Route.Kind.CONTROL && boundary != null) {
            requestReadable = false; // a file upload: nothing in it is metered
        } else if (boundary != null) {
            requestForm = new MultipartScanner(boundary, meter::requestField);
        } else if (type.isEmpty() || type.contains("json")) {
            requestJson = new MeasuredJson(meter::requestValue, meter.requestStringCap());
        } else {
            requestReadable = false; // nothing a meter reads (an upload's bytes)
        }
    }

    @Override
    public void requestEnd() {
        if (requestJson != null) {
            requestJson.end();
        }
    }

    @Override
    public RequestRewriter rewriter() {
        if (route.kind() != Route.Kind.CHAT || !injectStreamUsage) {
            return null; // never the Responses API: it rejects stream_options and reports usage anyway
        }
        if (rewriter == null) {
            rewriter = new StreamUsageRewriter(this::relayUnfiltered);
        }
        return rewriter;
    }

    /** An error or a response that is not an event stream reaches the client as it came. */
    private boolean relayUnfiltered() {
        return status >= 400 || (status > 0 && body != Meter.Body.EVENTS);
    }

    // ------------------------------------------------------------------ response

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.requestId = headers.get("x-request-id");
        this.mediaType = headers.mediaType();
        Route.Kind kind = route.kind();
        if (status >= 400) {
            body = Meter.Body.JSON; // OpenAI's error shape
        } else if (mediaType.equals("text/event-stream") || (mediaType.isEmpty() && meter.expectsEvents())) {
            body = Meter.Body.EVENTS;
        } else if (kind == Route.Kind.SPEECH && !mediaType.contains("json")) {
            body = Meter.Body.AUDIO;
        } else if (kind == Route.Kind.TRANSCRIPTION && !mediaType.isEmpty() && !mediaType.contains("json")) {
            body = Meter.Body.TEXT;
        } else if (kind == Route.Kind.CONTROL) {
            body = Meter.Body.OTHER;
        } else {
            body = Meter.Body.JSON;
        }
        switch (body) {
            case JSON -> responseJson = new JsonStream(new Document(null));
            case EVENTS -> {
                eventHandler = new Events();
                events = new SseParser(eventHandler);
            }
            default -> { }
        }
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        switch (body) {
            case JSON -> responseJson.feed(chunk);
            case EVENTS -> {
                events.feed(chunk);
                if (event != null) {
                    event.flush(); // the events this chunk finished are read now, in one batch
                }
            }
            case AUDIO -> audio(chunk);
            default -> { }
        }
    }

    private void audio(ByteBuffer chunk) {
        if (audioUnreadable) {
            return;
        }
        try {
            meter.audio(mediaType, chunk);
        } catch (RuntimeException e) {
            // a bug, not a body: the audio still reaches the client; its length is counted no further
            log.warn("openai: could not read the audio of {} {}", request.method(), request.path(), e);
            audioUnreadable = true;
        }
    }

    @Override
    public void responseEnd() {
        responseEnded = true;
        if (responseJson != null) {
            responseJson.end();
        }
        if (events != null) {
            events.end();
        }
    }

    @Override
    public Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        if (requestJson != null) {
            requestJson.end();
        }
        if (responseJson != null) {
            responseJson.end();
        }
        if (eventHandler != null) {
            eventHandler.end();
        }
        boolean streamed = body == Meter.Body.EVENTS || body == Meter.Body.AUDIO
                || (body == Meter.Body.NONE && meter.expectsEvents());
        if (status >= 400) {
            // providers do not bill failed requests, unless the body says otherwise
            return observation(meter.model(), meter.errorUsage(), streamed, false, AsyncJob.NONE);
        }
        if (status == 0 && ending != Ending.CLIENT_ABORTED) {
            // Rejected by the gateway: nothing was forwarded. The upstream failed before answering
            // (refused, reset, timed out): whether it did any work is unknown, and a failed request
            // is not billed, so no usage; incomplete says the row is not the whole story.
            boolean unknown = ending == Ending.UPSTREAM_FAILED && route.modality() != Modality.NONE;
            return observation(meter.model(), Usage.NONE, streamed, unknown, AsyncJob.NONE);
        }
        try {
            boolean complete = (responseEnded || terminalEvent) && ending == Ending.COMPLETE;
            Meter.Metered m = meter.finish(new Meter.Outcome(body, complete));
            if (m.job() instanceof AsyncJob.Started started) {
                // the pending row is found again by the job's id (the response id), not by the
                // x-request-id of the one HTTP request that created it
                requestId = started.jobId();
            }
            return observation(m.model(), m.usage(), streamed, m.incomplete(), m.job());
        } catch (RuntimeException e) {
            // a bug, not a body: the row is still written, marked as missing its usage
            log.warn("openai: could not meter {} {} (status {}); recording it without usage", request.method(),
                    request.path(), status, e);
            return observation(meter.model(), Usage.builder().estimated(true).build(), streamed, true, AsyncJob.NONE);
        }
    }

    private Observation observation(String model, Usage usage, boolean streamed, boolean incomplete, AsyncJob job) {
        return new Observation(route.operation(), route.modality(), model, usage, streamed, requestId, errorMessage,
                incomplete, job);
    }

    /** The provider's error message, wherever the APIs put it: an error body, a failed response, an error event. */
    private void error(String type, String path, JsonToken token, JsonStream s) throws IOException {
        if (token == JsonToken.VALUE_STRING && (path.equals("error.message") || path.equals("response.error.message")
                || (path.equals("message") && "error".equals(type)))) {
            String m = s.text();
            errorMessage = m.length() > MAX_ERROR_MESSAGE ? m.substring(0, MAX_ERROR_MESSAGE) : m;
        }
    }

    /**
     * One JSON document of the response: the body (no event type), or one event's data, with the
     * event's type. The type is the document's own: an event's values may be read after the next
     * event has begun.
     */
    private final class Document implements JsonStream.Listener {
        private String type;

        Document(String type) {
            this.type = type;
        }

        @Override
        public void value(String path, JsonToken token, JsonStream s) throws IOException {
            error(type, path, token, s);
            meter.responseValue(type, path, token, s);
        }

        @Override
        public void start(String path, boolean array) {
            meter.responseStart(type, path, array);
        }

        @Override
        public void end(String path, boolean array, int elements) {
            meter.responseEnd(type, path, array, elements);
        }
    }

    private static final JsonStream.Listener IGNORE = (path, token, stream) -> { };

    /** Chat and completion streams end with this data line. */
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /**
     * The events after which a stream has nothing more to say: a Responses stream's terminal
     * events, and those of speech and transcription streams. Not an image stream's
     * {@code image_*.completed}: there is one per image, and more may follow.
     */
    private static final Set<String> TERMINAL_EVENTS = Set.of("response.completed",
            "response.incomplete", "response.failed", "speech.audio.done", "transcript.text.done");

    @Override
    public boolean responseDone() {
        return terminalEvent;
    }

    /** Server-sent events: each event's data is parsed as it streams, as a document of its own. */
    private final class Events implements SseParser.Handler {
        private boolean eventDone;
        /** The current event's data length and first bytes. */
        private long dataLen;
        private final byte[] dataHead = new byte[DONE.length];
        /** The current event's document. */
        private Document document;

        @Override
        public void eventType(String type) {
            eventType = type;
        }

        @Override
        public void data(byte[] buf, int off, int len) {
            if (event == null) {
                document = new Document(eventType);
                event = new JsonStream(document); // one stream for all the events, read in batches
            } else if (eventDone) {
                document = new Document(eventType);
                event.nextDocument(document);
            }
            eventDone = false;
            // the data may come in pieces: keep its first bytes to tell a closing "[DONE]"
            if (dataLen < DONE.length) {
                System.arraycopy(buf, off, dataHead, (int) dataLen, (int) Math.min(len, DONE.length - dataLen));
            }
            dataLen += len;
            event.feed(buf, off, len); // chat's closing "[DONE]" is not JSON: that parse just stops
        }

        @Override
        public void eventEnd() {
            if (event != null && !eventDone) {
                document.type = eventType; // an event: line may come after the data
                event.nextDocument(IGNORE); // the event's values are read with its batch
                eventDone = true;
                if (TERMINAL_EVENTS.contains(eventType) || dataLen == DONE.length && Arrays.equals(dataHead, DONE)) {
                    terminalEvent = true;
                }
            }
            dataLen = 0;
            eventType = "";
        }

        /** The body ended inside an event: what it carried before the cut still counts. */
        void end() {
            if (event != null) {
                if (!eventDone) {
                    document.type = eventType;
                }
                event.end();
            }
        }
    }
}
