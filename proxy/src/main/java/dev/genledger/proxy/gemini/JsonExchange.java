package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A Gemini exchange with one JSON response (and optionally a JSON request worth reading): the
 * common handling of bodies, of error responses and of exchanges that got no response. Subclasses
 * read the values they need and say what a successful response amounts to.
 */
abstract class JsonExchange implements Exchange, JsonStream.Listener {
    protected final GeminiRoute route;
    protected final GeminiError error = new GeminiError();
    private final JsonStream request;
    private JsonStream response;
    private int status = -1;
    private boolean responseEnded;

    /** @param requestListener reads the request body, or null to ignore it */
    JsonExchange(GeminiRoute route, JsonStream.Listener requestListener, int maxRequestString) {
        this.route = route;
        this.request = requestListener == null ? null : new JsonStream(requestListener, maxRequestString);
    }

    @Override
    public final String operation() {
        return route.operation();
    }

    @Override
    public final Modality modality() {
        return route.modality();
    }

    @Override
    public final void requestBody(ByteBuffer chunk) {
        if (request != null) {
            request.feed(chunk);
        }
    }

    @Override
    public final void requestEnd() {
        if (request != null) {
            request.end();
        }
    }

    @Override
    public final void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.response = new JsonStream(this);
    }

    @Override
    public final void responseBody(ByteBuffer chunk) {
        if (response != null) {
            response.feed(chunk);
        }
    }

    @Override
    public final void responseEnd() {
        responseEnded = true;
        if (response != null) {
            response.end();
        }
    }

    @Override
    public final void value(String path, JsonToken token, JsonStream s) throws IOException {
        String p = GeminiError.unwrap(path);
        if (!error.value(p, token, s)) {
            responseValue(p, token, s);
        }
    }

    @Override
    public final void start(String path, boolean array) {
        responseStart(GeminiError.unwrap(path), array);
    }

    @Override
    public final void end(String path, boolean array, int elements) {
        responseEnd(GeminiError.unwrap(path), array, elements);
    }

    /** A scalar of the response that is not part of an error object. */
    abstract void responseValue(String path, JsonToken token, JsonStream s) throws IOException;

    void responseStart(String path, boolean array) {}

    void responseEnd(String path, boolean array, int elements) {}

    /** What a 1xx–3xx response amounts to. */
    abstract Observation success(Ending ending);

    /** The response was relayed whole and parsed to its end. */
    final boolean complete(Ending ending) {
        return ending == Ending.COMPLETE && responseEnded && response != null && !response.failed();
    }

    @Override
    public final Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        if (request != null) {
            request.end();
        }
        if (response != null) {
            response.end();
        }
        if (status < 0) {
            // No response: nothing is known to have been consumed; incomplete unless the gateway
            // answered itself and forwarded nothing.
            return observation(Usage.NONE, null, null, ending != Ending.REJECTED, AsyncJob.NONE);
        }
        if (status >= 400) {
            return observation(Usage.NONE, error.seen() ? error.message() : "HTTP " + status, null, false, AsyncJob.NONE);
        }
        return success(ending);
    }

    final Observation observation(Usage usage, String message, String upstreamId, boolean incomplete, AsyncJob job) {
        return new Observation(route.operation(), route.modality(), route.model(), usage, route.streamed(), upstreamId,
                message, incomplete, job);
    }
}
