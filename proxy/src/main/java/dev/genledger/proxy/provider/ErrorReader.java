package dev.genledger.proxy.provider;

import dev.genledger.proxy.parse.JsonStream;

/** Reads a provider's JSON error body as it streams: its message, and a request id if it carries one. */
public interface ErrorReader extends JsonStream.Listener {
    /** The error's message, or null when the body had none. */
    String message();

    /** A request id the error body carries (ElevenLabs puts it there), or null. */
    default String requestId() {
        return null;
    }
}
