package dev.genledger.proxy.provider;

/**
 * Rewrites a request body before it is forwarded, and optionally filters the response on its way
 * back. Used for one thing only: asking OpenAI for usage on a chat-completions stream whose client
 * did not, and removing the extra usage chunk from what that client receives.
 */
public interface RequestRewriter {
    /** Largest body worth holding for the rewrite; a larger body is forwarded unchanged. */
    int maxBytes();

    /**
     * @param body the complete request body (decoded)
     * @return the body to forward and the response filter to apply, or null to forward the
     *         original body unchanged
     */
    Rewrite rewrite(byte[] body);

    /** The body to forward, and a filter for the response (null: relay it untouched). */
    record Rewrite(byte[] body, ResponseFilter filter) {}
}
