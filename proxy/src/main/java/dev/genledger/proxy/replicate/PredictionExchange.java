package dev.genledger.proxy.replicate;

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
 * A prediction's create, poll or cancel; each answers with the prediction object.
 *
 * <p>A create that comes back terminal (sync mode, {@code Prefer: wait}) is a complete row with its
 * usage. One that comes back {@code starting} or {@code processing} (async, or a sync wait that ran
 * out) starts a job: the row is written pending under the prediction id. A poll or cancel that sees
 * the prediction terminal finalises that row with the usage; a poll is not a generation itself.
 */
final class PredictionExchange implements Exchange {
    private final ReplicateRoute route;
    private final Version version = new Version();
    private final JsonStream request;
    private final PredictionReader prediction = new PredictionReader();
    private final ReplicateError error = new ReplicateError();
    private JsonStream body;
    private int status = -1;
    private boolean responseEnded;

    PredictionExchange(ReplicateRoute route) {
        this.route = route;
        // only POST /v1/predictions names its model in the body
        boolean modelInBody = route.kind() == ReplicateRoute.Kind.CREATE && route.pathModel() == null;
        this.request = modelInBody ? new JsonStream(version) : null;
    }

    /** Reads the body's {@code version}: a 64-hex id, {@code owner/name:id} or {@code owner/name}. */
    private static final class Version implements JsonStream.Listener {
        String value;

        @Override
        public void value(String path, JsonToken token, JsonStream s) throws IOException {
            if (path.equals("version") && token == JsonToken.VALUE_STRING) {
                value = s.text();
            }
        }
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
        if (request != null) {
            request.feed(chunk);
        }
    }

    @Override
    public void requestEnd() {
        if (request != null) {
            request.end();
        }
    }

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.body = new JsonStream(status < 400 ? prediction : error);
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        if (body != null) {
            body.feed(chunk);
        }
    }

    @Override
    public void responseEnd() {
        responseEnded = true;
        if (body != null) {
            body.end();
        }
    }

    @Override
    public Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        if (request != null) {
            request.end();
        }
        if (body != null) {
            body.end();
        }
        String id = prediction.id() != null ? prediction.id() : route.predictionId();
        if (status < 0) {
            // No response: nothing is known to have run; incomplete unless the gateway answered itself.
            return observation(Usage.NONE, null, id, ending != Ending.REJECTED, AsyncJob.NONE);
        }
        if (status >= 400) {
            String message = error.message() != null ? error.message() : "HTTP " + status;
            return observation(Usage.NONE, message, id, false, AsyncJob.NONE);
        }
        boolean complete = ending == Ending.COMPLETE && responseEnded && !body.failed();
        return route.kind() == ReplicateRoute.Kind.CREATE ? created(id, complete) : polled(id, complete);
    }

    private Observation created(String id, boolean complete) {
        if (complete && prediction.terminal()) {
            return observation(prediction.usage(), prediction.failure(), id, false, AsyncJob.NONE);
        }
        if (id != null) {
            // Still running, or a response cut short before its metrics: either way the usage will be
            // known from a later poll (the client's, through the gateway, or the gateway's own).
            return observation(Usage.NONE, null, id, !complete, new AsyncJob.Started(id));
        }
        // A prediction may have started, but without its id nothing can ever finalise it.
        return observation(Usage.builder().estimated(true).build(), null, null, true, AsyncJob.NONE);
    }

    private Observation polled(String id, boolean complete) {
        if (!complete || !prediction.terminal() || id == null) {
            return observation(Usage.NONE, null, id, !complete, AsyncJob.NONE);
        }
        AsyncJob job = new AsyncJob.Finished(id, prediction.httpStatus(), prediction.failure(), prediction.usage(), null);
        return observation(Usage.NONE, null, id, false, job);
    }

    /**
     * The model: the path's for official models and deployments (even when the response names an
     * internal model, as official models do); for {@code POST /v1/predictions} the body's
     * {@code owner/name[:version]}, or the response's {@code model} when the body gave only a
     * version id; for polls the response's.
     */
    private String model() {
        if (route.pathModel() != null) {
            return route.pathModel();
        }
        String v = version.value;
        if (v != null) {
            int colon = v.indexOf(':');
            if (colon > 0) {
                return v.substring(0, colon);
            }
            if (v.indexOf('/') > 0) {
                return v;
            }
        }
        return prediction.model() != null ? prediction.model() : v;
    }

    private Observation observation(Usage usage, String message, String id, boolean incomplete, AsyncJob job) {
        return new Observation(route.operation(), route.modality(), model(), usage, false, id, message, incomplete, job);
    }
}
