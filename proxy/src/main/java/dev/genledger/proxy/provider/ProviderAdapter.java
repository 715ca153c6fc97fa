package dev.genledger.proxy.provider;

/**
 * The only place that knows a provider's wire format: which route is which operation, where the
 * model and the usage are, what its errors look like. One implementation per provider.
 *
 * <p>Not sealed, on purpose: each adapter lives in its provider's package, and a sealed interface
 * may only permit classes of other packages inside a named module. {@link Providers} is the
 * closed list.
 */
public interface ProviderAdapter {
    /** The provider's name, which is also the first path segment: {@code openai}, … */
    String name();

    /** Starts observing one request (on the event loop; cheap, no I/O). */
    Exchange begin(RequestInfo request);

    /**
     * An error body in the provider's own JSON error shape, for errors the gateway answers itself
     * (400 bad attribution header, 413, 429 budget cap, 502, 504), so that SDKs surface them as
     * they surface the provider's own errors.
     *
     * @param code a short machine-readable code, e.g. {@code invalid_header}, {@code budget_exceeded}
     */
    byte[] errorBody(int status, String code, String message);
}
