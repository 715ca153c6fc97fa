package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.Pricer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Memory per connection stays bounded whatever the body size: a fast upstream feeding a client
 * that does not read is held back by TCP, not buffered by the gateway, and so is a fast client
 * uploading to an upstream that does not read.
 */
class ProxyBackpressureTest {
    private static final int MB = 1024 * 1024;

    private static long nettyDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    /** Waits until {@code counter} stops growing (the writer is blocked), at most 10 s. */
    private static long awaitStall(AtomicLong counter) throws InterruptedException {
        long last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long now = counter.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(300);
        }
        return counter.get();
    }

    @Test
    void aFastUpstreamIsHeldBackByAClientThatDoesNotRead() throws Exception {
        AtomicLong upstreamWrote = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long total = 64L * MB;
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += block.length) {
                out.write(block);
                upstreamWrote.addAndGet(block.length);
            }
            out.flush();
            done.countDown();
        }); ProxyHarness h = new ProxyHarness(URI.create("http://127.0.0.1:" + up.port()), s -> s, null, Pricer.NONE);
             Socket client = new Socket("127.0.0.1", h.proxy.port())) {
            client.setReceiveBufferSize(64 * 1024);
            client.getOutputStream().write("GET /openai/v1/files/f/content HTTP/1.1\r\nHost: g\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long stalledAt = awaitStall(upstreamWrote); // the client reads nothing: everything backs up
            assertThat(stalledAt).as("the upstream is held back long before the end").isLessThan(total / 4);
            assertThat(nettyDirectMemory()).as("gateway buffers").isLessThan(16L * MB);
            // now the client reads everything: all bytes arrive
            InputStream in = client.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long received = 0;
            int n;
            while (received < total + 40 && (n = in.read(buf)) > 0) {
                received += n;
            }
            assertThat(received).isGreaterThan(total);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(h.ledger.next().responseBytes()).isEqualTo(total);
        }
    }

    @Test
    void aFastClientIsHeldBackByAnUpstreamThatDoesNotRead() throws Exception {
        CountDownLatch upstreamMayRead = new CountDownLatch(1);
        AtomicLong clientWrote = new AtomicLong();
        long total = 64L * MB;
        try (ScriptedUpstream up = new ScriptedUpstream((head, in, out, socket) -> {
            upstreamMayRead.await(20, TimeUnit.SECONDS);
            byte[] buf = new byte[256 * 1024];
            long read = 0;
            while (read < total) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            ScriptedUpstream.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + Long.toString(read).length() + "\r\n\r\n"
                    + read);
        }); ProxyHarness h = new ProxyHarness(URI.create("http://127.0.0.1:" + up.port()),
                s -> s.withMaxRequestBodyBytes(1L << 30), null, Pricer.NONE);
             Socket client = new Socket("127.0.0.1", h.proxy.port())) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    out.write(("POST /openai/v1/files HTTP/1.1\r\nHost: g\r\nConnection: close\r\nContent-Length: " + total + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] block = new byte[64 * 1024];
                    for (long sent = 0; sent < total; sent += block.length) {
                        out.write(block);
                        clientWrote.addAndGet(block.length);
                    }
                    out.flush();
                } catch (Exception e) {
                    // reported by the assertions below
                }
            });
            writer.start();
            long stalledAt = awaitStall(clientWrote);
            assertThat(stalledAt).as("the client is held back long before the end").isLessThan(total / 4);
            assertThat(nettyDirectMemory()).as("gateway buffers").isLessThan(16L * MB);
            upstreamMayRead.countDown();
            writer.join(30_000);
            String answer = new String(client.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith(Long.toString(total));
            assertThat(h.ledger.next().requestBytes()).isEqualTo(total);
        }
    }
}
