package dev.genledger.proxy.replicate;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import java.nio.ByteBuffer;

/** A call that runs nothing (models, collections, account, files, unknown routes): no usage, only an error message. */
final class ControlExchange implements Exchange {
    private final ReplicateRoute route;
    private final ReplicateError error = new ReplicateError();
    private JsonStream errorBody;
    private int status = -1;

    ControlExchange(ReplicateRoute route) {
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
        String message = status >= 400 ? (error.message() != null ? error.message() : "HTTP " + status) : null;
        return new Observation(route.operation(), route.modality(), null, Usage.NONE, false, null, message,
                status < 0 && ending != Ending.REJECTED, AsyncJob.NONE);
    }
}
