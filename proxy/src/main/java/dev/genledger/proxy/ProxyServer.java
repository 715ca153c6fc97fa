package dev.genledger.proxy;

import dev.genledger.ledger.LedgerRecord;
import dev.genledger.pricing.Pricer;
import dev.genledger.proxy.provider.ProviderAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's HTTP/1.1 server: one event loop per core (native epoll where available), keep-alive
 * client connections, and upstream connections on the same loops. Stopping is ordered: stop
 * accepting, let in-flight requests finish (bounded by the drain timeout), then close the rest.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final ProxyContext px;
    private final EventLoopGroup group;
    private final ChannelGroup clients;
    private final Channel server;

    private ProxyServer(ProxyContext px, EventLoopGroup group, ChannelGroup clients, Channel server) {
        this.px = px;
        this.group = group;
        this.clients = clients;
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @param adapters          adapter per provider name; each must have an upstream in settings
     * @param ledger            receives each row; must never block (LedgerWriter::offer)
     * @param budgetCapReached  true when the monthly budget's hard cap applies; null for no cap
     */
    public static ProxyServer start(ProxySettings settings, Map<String, ProviderAdapter> adapters, Pricer pricer,
                                    Consumer<LedgerRecord> ledger, MeterRegistry registry,
                                    BooleanSupplier budgetCapReached) throws InterruptedException {
        for (String provider : adapters.keySet()) {
            if (!settings.upstreams().containsKey(provider)) {
                throw new IllegalArgumentException("provider " + provider + " has an adapter but no upstream URL");
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ProxyContext px = new ProxyContext(settings, adapters, sslContext(settings), pricer, ledger,
                new ProxyMetrics(registry), budgetCapReached);
        px.loopCount = threads;
        EventLoopGroup group = Transports.group(threads);
        ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast("http", new HttpServerCodec(16 * 1024, settings.maxHeaderBytes(), 65_536));
                        ch.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
                        ch.pipeline().addLast("proxy", new ClientHandler(px));
                    }
                });
        Channel server;
        try {
            server = b.bind(settings.bind(), settings.port()).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("the proxy cannot listen on " + settings.bind() + ":" + settings.port()
                    + " (" + e.getMessage() + "); free the port or set GENLEDGER_PROXY_PORT", e);
        }
        ProxyServer s = new ProxyServer(px, group, clients, server);
        log.info("proxy: listening on {} ({} transport, {} event loops)", server.localAddress(), Transports.name(),
                threads);
        return s;
    }

    private static SslContext sslContext(ProxySettings settings) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (settings.trust() != null) {
                b.trustManager(settings.trust());
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for upstream connections", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String transport() {
        return Transports.name();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return px.inFlight.get();
    }

    /** Stops accepting, waits for in-flight requests up to the drain timeout, then closes everything. */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        server.close().syncUninterruptibly();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(px.settings.drainTimeoutMs());
        while (px.inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = px.inFlight.get();
        if (left > 0) {
            log.warn("proxy: {} requests still in flight after the {} ms drain timeout; closing them (their rows "
                    + "are recorded as client aborts)", left, px.settings.drainTimeoutMs());
        }
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        px.closePools();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        log.info("proxy: stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
}
