package dev.genledger.proxy;

/**
 * Netty settings the gateway runs with unless the operator sets them: call {@link #apply} before
 * anything touches Netty (they are read once, when its classes load).
 *
 * <ul>
 *   <li>Leak detection samples one buffer in 4,096 instead of Netty's one in 128. A sampled buffer
 *       records the stack trace of its allocation, and at the proxy's rate the default sampling
 *       cost about 3 % of the event loops' time (measured with perf during {@code bench/run proxy});
 *       one in 4,096 still reports a leak that recurs, at a negligible cost. The tests run Netty's
 *       paranoid level, which tracks every buffer.
 * </ul>
 */
public final class NettyDefaults {
    static final String SAMPLING_INTERVAL = "io.netty.leakDetection.samplingInterval";

    private NettyDefaults() {}

    public static void apply() {
        if (System.getProperty(SAMPLING_INTERVAL) == null) {
            System.setProperty(SAMPLING_INTERVAL, "4096");
        }
    }
}
