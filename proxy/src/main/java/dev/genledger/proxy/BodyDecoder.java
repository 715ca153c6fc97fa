package dev.genledger.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Decodes the gateway's copy of a compressed body (gzip, deflate, br) for the adapter; the bytes
 * relayed to the client are never touched. Decoded output is streamed to the consumer chunk by
 * chunk and capped in total, so a decompression bomb costs bounded time and no memory.
 */
final class BodyDecoder {
    /** More decoded bytes than this are not worth parsing: the copy stops there. */
    static final long MAX_DECODED = 1L << 30;

    private final EmbeddedChannel channel;
    private final Consumer<ByteBuffer> sink;
    private long decoded;
    private boolean broken;

    private BodyDecoder(ChannelHandler decoder, Consumer<ByteBuffer> sink) {
        this.channel = new EmbeddedChannel(decoder);
        this.sink = sink;
    }

    /**
     * A decoder for the Content-Encoding, or null when the body is not encoded. Unknown codings
     * give a decoder that delivers nothing (the adapter then sees no body and reports it so).
     */
    static BodyDecoder forEncoding(String contentEncoding, Consumer<ByteBuffer> sink) {
        if (contentEncoding == null) {
            return null;
        }
        String e = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> null;
            case "gzip", "x-gzip" -> new BodyDecoder(ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP), sink);
            case "deflate", "x-deflate" -> new BodyDecoder(ZlibCodecFactory.newZlibDecoder(ZlibWrapper.ZLIB_OR_NONE), sink);
            case "br" -> Brotli.isAvailable() ? new BodyDecoder(new BrotliDecoder(), sink) : undecodable(sink);
            default -> undecodable(sink);
        };
    }

    private static BodyDecoder undecodable(Consumer<ByteBuffer> sink) {
        BodyDecoder d = new BodyDecoder(new io.netty.channel.ChannelInboundHandlerAdapter(), sink);
        d.broken = true;
        return d;
    }

    /** Feeds compressed bytes (not retained, not released). */
    void feed(ByteBuf compressed) {
        if (broken || decoded > MAX_DECODED) {
            return;
        }
        try {
            channel.writeInbound(compressed.retainedDuplicate());
            drain();
        } catch (RuntimeException e) {
            broken = true; // a corrupt stream: the client gets it as it is; the copy stops
        }
    }

    void finish() {
        if (broken) {
            channel.finishAndReleaseAll();
            return;
        }
        try {
            channel.finish();
            drain();
        } catch (RuntimeException e) {
            broken = true;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    boolean broken() {
        return broken;
    }

    private void drain() {
        ByteBuf out;
        while ((out = channel.readInbound()) != null) {
            try {
                decoded += out.readableBytes();
                if (decoded <= MAX_DECODED) {
                    for (ByteBuffer b : out.nioBuffers()) {
                        sink.accept(b);
                    }
                }
            } finally {
                out.release();
            }
        }
    }
}
