package dev.genledger.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.NetUtil;
import java.util.ArrayDeque;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one upstream, owned by one event loop: the client's requests connect
 * on the client's own loop (no thread hand-off, no locks), as in Netty's proxy example. Bounded:
 * beyond {@code max} connections an acquire waits for a release. An idle connection is closed
 * after {@code idleMs}. Not thread-safe: every method runs on {@link #loop}.
 */
final class UpstreamPool {
    private final EventLoop loop;
    private final UpstreamTarget target;
    private final SslContext ssl;
    private final int max;
    private final int connectTimeoutMs;
    private final long idleNanos;
    private final int maxHeaderBytes;
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<Channel>> waiting = new ArrayDeque<>();
    private int open;
    private ScheduledFuture<?> sweeper;

    private record Idle(Channel channel, long since) {}

    UpstreamPool(EventLoop loop, UpstreamTarget target, SslContext ssl, int max, int connectTimeoutMs, int idleMs,
                 int maxHeaderBytes) {
        this.loop = loop;
        this.target = target;
        this.ssl = ssl;
        this.max = max;
        this.connectTimeoutMs = connectTimeoutMs;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        this.maxHeaderBytes = maxHeaderBytes;
    }

    UpstreamTarget target() {
        return target;
    }

    /**
     * A connection for one exchange: an idle one, a new one, or the next one released; with
     * {@code fresh}, never an idle one (a retry after an idle connection turned out to be closed:
     * the others may be too).
     */
    Promise<Channel> acquire(boolean fresh) {
        Promise<Channel> p = loop.newPromise();
        Idle i;
        while (!fresh && (i = idle.pollLast()) != null) {
            if (i.channel().isActive()) {
                p.setSuccess(i.channel());
                return p;
            }
            open--;
        }
        if (open < max) {
            connect(p);
        } else {
            waiting.add(p);
            // bounded like a connect: a request never waits unseen for a connection that is not freed
            ScheduledFuture<?> timeout = loop.schedule(() -> {
                if (waiting.remove(p)) {
                    p.tryFailure(new Exhausted());
                }
            }, connectTimeoutMs, TimeUnit.MILLISECONDS);
            p.addListener(f -> timeout.cancel(false));
        }
        return p;
    }

    /** Every connection the pool may open is in use, and none was freed within the connect timeout. */
    static final class Exhausted extends Exception {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("every connection is in use", null, false, false);
        }
    }

    /** Returns a connection that finished its exchange cleanly and may be reused. */
    void release(Channel ch) {
        if (!ch.isActive()) {
            closed();
            return;
        }
        // A read stays pending on a pooled connection: the upstream closing it is noticed at once
        // (not at the next exchange), and the next exchange does not re-arm the read (with
        // AUTO_READ off, that is an epoll_ctl call each way).
        ch.read();
        Promise<Channel> w;
        while ((w = waiting.poll()) != null) {
            if (w.trySuccess(ch)) {
                return;
            }
        }
        idle.addLast(new Idle(ch, System.nanoTime()));
        scheduleSweep();
    }

    /** Closes a connection that cannot be reused (an exchange broke off on it). */
    void discard(Channel ch) {
        ch.close();
        closed();
    }

    /** Closes every idle connection (shutdown). */
    void closeIdle() {
        Idle i;
        while ((i = idle.poll()) != null) {
            i.channel().close();
            open--;
        }
    }

    private void closed() {
        open--;
        Promise<Channel> w = waiting.poll();
        if (w != null) {
            connect(w);
        }
    }

    private void connect(Promise<Channel> p) {
        open++;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(Transports.clientChannel(loop))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            SslHandler h = ssl.newHandler(ch.alloc(), target.host(), target.port());
                            if (!NetUtil.isValidIpV4Address(target.host()) && !NetUtil.isValidIpV6Address(target.host())) {
                                // SNI always: the JDK leaves it out for names without a dot
                                SSLParameters p = h.engine().getSSLParameters();
                                p.setServerNames(List.of(new SNIHostName(target.host())));
                                h.engine().setSSLParameters(p);
                            }
                            h.setHandshakeTimeoutMillis(connectTimeoutMs);
                            ch.pipeline().addLast("tls", h);
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec(4096, maxHeaderBytes, 8192, false, true));
                        ch.pipeline().addLast("upstream", new UpstreamHandler());
                    }
                });
        ChannelFuture f = b.connect(target.host(), target.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                open--;
                p.tryFailure(done.cause());
                return;
            }
            Channel ch = f.channel();
            ch.closeFuture().addListener(c -> {
                if (idle.removeIf(i -> i.channel() == ch)) {
                    open--; // the upstream closed an idle connection
                }
            });
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) {
                if (!p.trySuccess(ch)) {
                    release(ch);
                }
                return;
            }
            tls.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    if (!p.trySuccess(ch)) {
                        release(ch);
                    }
                } else {
                    open--;
                    ch.close();
                    p.tryFailure(h.cause());
                }
            });
            ch.read(); // let the TLS handshake proceed with AUTO_READ off
        });
    }

    private void scheduleSweep() {
        if (sweeper == null || sweeper.isDone()) {
            sweeper = loop.schedule(this::sweep, Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 2),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        Idle i;
        while ((i = idle.peekFirst()) != null && now - i.since() >= idleNanos) {
            idle.pollFirst();
            i.channel().close();
            open--;
        }
        if (!idle.isEmpty()) {
            scheduleSweep();
        }
    }
}
