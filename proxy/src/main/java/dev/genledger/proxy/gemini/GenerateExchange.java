package dev.genledger.proxy.gemini;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.parse.SseParser;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.nio.ByteBuffer;

/**
 * generateContent and streamGenerateContent, whatever the output (text, thoughts, images, audio).
 * The response is read as one JSON value (unary, or the streamed JSON array without
 * {@code alt=sse}), or as SSE events, each event's data a fresh JSON document. Gemini writes a
 * failure midway through an SSE stream as a raw JSON object without {@code data:}; those lines are
 * read as JSON too.
 */
final class GenerateExchange implements Exchange, SseParser.Handler {
    /**
     * Output tokens of one generated image of up to 1024×1024 (Gemini's image pricing: 1,290 tokens
     * per image); used only to estimate an image whose usage never arrived.
     */
    static final long TOKENS_PER_IMAGE = 1290;
    private static final byte[] NEWLINE = {'\n'};

    private final GeminiRoute route;
    private final boolean sseRequested;
    private final RequestText requestText = new RequestText();
    private final JsonStream request = RequestText.stream(requestText);
    private final GenerateReader reader = new GenerateReader();
    private int status = -1;
    private JsonStream body;
    private SseParser sse;
    private JsonStream event;
    private JsonStream rawLines;
    private boolean responseEnded;

    GenerateExchange(GeminiRoute route, RequestInfo info) {
        this.route = route;
        this.sseRequested = "sse".equals(info.queryParam("alt"));
    }

    @Override
    public String operation() {
        return route.operation();
    }

    @Override
    public Modality modality() {
        return route.modality();
    }

    @Override
    public void requestBody(ByteBuffer chunk) {
        request.feed(chunk);
    }

    @Override
    public void requestEnd() {
        request.end();
    }

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        String type = headers.mediaType();
        boolean events = type.equals("text/event-stream") || type.isEmpty() && sseRequested;
        if (status < 400 && events) {
            sse = new SseParser(this);
        } else {
            body = new JsonStream(reader);
        }
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        if (sse != null) {
            sse.feed(chunk);
            if (event != null) {
                event.flush(); // the events this chunk finished are read now, in one batch
            }
        } else if (body != null) {
            body.feed(chunk);
        }
    }

    @Override
    public void responseEnd() {
        responseEnded = true;
        if (sse != null) {
            sse.end();
        } else if (body != null) {
            body.end();
        }
    }

    // ------------------------------------------------------------------ SSE events

    @Override
    public void data(byte[] buf, int off, int len) {
        if (event == null) {
            event = new JsonStream(reader); // one stream for all the events, read in batches
        }
        event.feed(buf, off, len);
    }

    @Override
    public void eventEnd() {
        if (event != null) {
            event.nextDocument(reader); // ends this event's document; a broken one cannot spoil the next
        }
    }

    @Override
    public void otherLine(byte[] buf, int off, int len) {
        if (rawLines == null) {
            rawLines = new JsonStream(reader);
        }
        rawLines.feed(buf, off, len);
        rawLines.feed(NEWLINE, 0, 1);
    }

    // ------------------------------------------------------------------ the outcome

    @Override
    public Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        request.end();
        if (body != null) {
            body.end();
        }
        if (rawLines != null) {
            rawLines.end();
        }
        if (event != null) {
            event.end(); // an event cut short: what it carried before the cut still counts
        }
        String model = reader.modelVersion() != null ? reader.modelVersion() : route.model();
        if (status < 0) {
            // No response: nothing is known to have been consumed. Incomplete unless the gateway
            // answered itself, in which case nothing was forwarded at all.
            return observation(model, Usage.NONE, null, ending != Ending.REJECTED);
        }
        UsageMetadata seen = reader.usage();
        if (status >= 400) {
            Usage usage = seen == null ? Usage.NONE : seen.toUsage().build();
            String message = reader.error.seen() ? reader.error.message() : "HTTP " + status;
            return observation(model, usage, message, false);
        }
        String blocked = reader.blockReason();
        boolean cut = ending != Ending.COMPLETE || !responseEnded || body != null && body.failed();
        boolean failedMidway = reader.error.seen();
        boolean terminal = !route.streamed() || reader.finishSeen() || blocked != null;
        boolean incomplete = cut || failedMidway || !terminal || seen == null && blocked == null;

        Usage.Builder usage;
        if (seen != null) {
            // Exact when the exchange completed; otherwise the last cumulative counts, a lower bound.
            usage = seen.toUsage().estimated(incomplete);
        } else if (blocked != null) {
            // A blocked prompt reports no usage, yet the prompt was read and classified: count its
            // input, estimated from the request text, rather than record nothing.
            usage = Usage.builder().inputTokens(RequestText.tokens(requestText.chars())).estimated(true);
        } else {
            usage = estimate();
        }
        String message = failedMidway ? reader.error.message() : blocked != null ? "prompt blocked: " + blocked : null;
        return observation(model, usage.build(), message, incomplete);
    }

    /**
     * No usageMetadata at all (cut before the first chunk, a body that did not parse, a stream that
     * failed first): input ≈ request text / 4, output ≈ candidate text seen / 4 plus
     * {@value #TOKENS_PER_IMAGE} tokens per image part that had started to arrive.
     */
    private Usage.Builder estimate() {
        long images = route.modality() == Modality.AUDIO ? 0 : reader.imageParts();
        long imageTokens = images * TOKENS_PER_IMAGE;
        return Usage.builder()
                .inputTokens(RequestText.tokens(requestText.chars()))
                .outputTokens(RequestText.tokens(reader.textChars()) + imageTokens)
                .outputImageTokens(imageTokens)
                .estimated(true);
    }

    private Observation observation(String model, Usage usage, String message, boolean incomplete) {
        return new Observation(route.operation(), route.modality(), model, usage, route.streamed(),
                reader.responseId(), message, incomplete, AsyncJob.NONE);
    }
}
