package dev.genledger.proxy.elevenlabs;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import java.nio.ByteBuffer;

/**
 * A call that generates nothing the gateway meters (models, voices, history, user, unknown routes):
 * forwarded as is and recorded without usage; only an error message is read.
 */
final class ControlExchange implements Exchange {
    private final ElevenLabsRoute route;
    private final ElevenLabsError error = new ElevenLabsError();
    private JsonStream errorBody;
    private int status = -1;
    private String requestId;

    ControlExchange(ElevenLabsRoute route) {
        this.route = route;
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
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.requestId = headers.get("request-id");
        if (status >= 400) {
            errorBody = new JsonStream(error);
        }
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        if (errorBody != null) {
            errorBody.feed(chunk);
        }
    }

    @Override
    public void responseEnd() {
        if (errorBody != null) {
            errorBody.end();
        }
    }

    @Override
    public Observation finish(Ending ending) {
        String message = null;
        String id = requestId;
        if (status >= 400) {
            message = error.message() != null ? error.message() : "HTTP " + status;
            id = error.requestId() != null ? error.requestId() : requestId;
        }
        return new Observation(route.operation(), route.modality(), null, Usage.NONE, false, id, message,
                status < 0 && ending != Ending.REJECTED, AsyncJob.NONE);
    }
}
