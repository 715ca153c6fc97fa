package dev.genledger.proxy.provider;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.nio.ByteBuffer;

/**
 * A call that generates nothing the gateway meters (model listings, account pages, unknown
 * routes): forwarded as it is and recorded without usage; only an error's message is read. Shared
 * by the adapters whose control calls need nothing provider-specific beyond the error shape.
 */
public final class ControlExchange implements Exchange {
    private final String operation;
    private final Modality modality;
    private final ErrorReader error;
    private final String requestIdHeader;
    private JsonStream errorBody;
    private int status = -1;
    private String requestId;

    /** @param requestIdHeader the response header carrying the provider's request id, or null */
    public ControlExchange(String operation, Modality modality, ErrorReader error, String requestIdHeader) {
        this.operation = operation;
        this.modality = modality;
        this.error = error;
        this.requestIdHeader = requestIdHeader;
    }

    @Override
    public String operation() {
        return operation;
    }

    @Override
    public Modality modality() {
        return modality;
    }

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.requestId = requestIdHeader == null ? null : headers.get(requestIdHeader);
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
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        if (errorBody != null) {
            errorBody.end();
        }
        String message = null;
        String id = requestId;
        if (status >= 400) {
            message = error.message() != null ? error.message() : "HTTP " + status;
            if (error.requestId() != null) {
                id = error.requestId();
            }
        }
        return new Observation(operation, modality, null, Usage.NONE, false, id, message,
                status < 0 && ending != Ending.REJECTED, AsyncJob.NONE);
    }
}
