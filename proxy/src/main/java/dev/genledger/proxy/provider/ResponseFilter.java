package dev.genledger.proxy.provider;

import java.nio.ByteBuffer;

/**
 * Transforms the bytes relayed to the client (the copy the adapter parses is not filtered). A
 * filter may hold bytes back until it can decide about them, such as the end of an SSE event, and
 * must release everything it holds at {@link #finish()}. When a rewrite sets a filter, the proxy
 * asks the upstream for an identity (uncompressed) response so that the filter sees plain bytes.
 */
public interface ResponseFilter {
    /** The bytes to send now for this chunk (possibly empty). */
    ByteBuffer filter(ByteBuffer chunk);

    /** Whatever is still held, at the end of the response. */
    ByteBuffer finish();
}
