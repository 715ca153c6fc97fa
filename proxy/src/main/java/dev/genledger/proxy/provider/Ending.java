package dev.genledger.proxy.provider;

/** How an exchange ended, as the proxy saw it. */
public enum Ending {
    /** The upstream response was relayed to the client completely. */
    COMPLETE,
    /** The client went away before the response was complete; the upstream request was cancelled. */
    CLIENT_ABORTED,
    /** The upstream could not be reached, timed out, or broke off mid-response. */
    UPSTREAM_FAILED,
    /** The gateway answered itself (bad request, body too large, budget cap) and forwarded nothing. */
    REJECTED
}
