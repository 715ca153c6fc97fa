package dev.genledger.proxy.provider;

import dev.genledger.ledger.Modality;
import java.nio.ByteBuffer;

/**
 * One request/response through the gateway, as its adapter observes it. The proxy calls these in
 * order on one event loop: {@code requestBody}* → {@code requestEnd} → {@code responseHead} →
 * {@code responseBody}* → {@code responseEnd}, stopping early when the exchange breaks off, and
 * then {@link #finish} exactly once.
 *
 * <p>Body bytes are a copy of what passes, already decompressed when the sender used gzip, br or
 * deflate; the buffers are valid only during the call. Nothing here may block, do I/O, or throw
 * out of a parse error: a malformed body is an observation ("no usage seen"), not a failure.
 */
public interface Exchange {
    /** The operation, known from the route (the request head) alone. */
    String operation();

    /** The modality, known from the route; {@link Modality#NONE} for control calls. */
    Modality modality();

    default void requestBody(ByteBuffer chunk) {}

    default void requestEnd() {}

    default void responseHead(int status, HeaderView headers) {}

    default void responseBody(ByteBuffer chunk) {}

    default void responseEnd() {}

    /**
     * Whether the response has said all it will say although its body has not ended: a stream's
     * terminal event (OpenAI's {@code data: [DONE]}, a Responses stream's {@code response.completed})
     * has passed. A client that stops reading there has aborted nothing (the Python SDKs close the
     * connection on {@code [DONE]}, before the chunked body's last bytes), so the proxy then ends
     * the exchange as {@link Ending#COMPLETE} with the upstream's status rather than as a 499.
     */
    default boolean responseDone() {
        return false;
    }

    /** What the exchange amounted to. Called once, whatever the ending. */
    Observation finish(Ending ending);

    /**
     * A request rewrite this exchange wants, or null (the default: forward unchanged). When
     * non-null the proxy holds the request body, up to {@link RequestRewriter#maxBytes()}, before
     * forwarding it.
     */
    default RequestRewriter rewriter() {
        return null;
    }
}
