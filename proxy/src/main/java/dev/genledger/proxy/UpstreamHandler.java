package dev.genledger.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a pooled upstream connection: passes what the upstream sends to the
 * exchange currently using the connection. Data that arrives while no exchange owns the
 * connection (a server speaking out of turn) closes it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    /** What an exchange receives from its upstream connection. */
    interface Listener {
        void upstreamResponse(HttpResponse head);

        /** Content of the response; ownership passes to the listener. */
        void upstreamContent(HttpContent content);

        void upstreamReadComplete();

        void upstreamWritable();

        void upstreamInactive();

        void upstreamFailed(Throwable cause);
    }

    private Listener listener;
    private int exchanges;

    void attach(Listener l) {
        this.listener = l;
        exchanges++;
    }

    /** Whether an exchange before the current one used this connection (it came from the pool). */
    boolean reused() {
        return exchanges > 1;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Listener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof io.netty.handler.codec.http.HttpObject o && o.decoderResult().isFailure()) {
            // not HTTP we can relay faithfully: fail the exchange rather than guess
            ReferenceCountUtil.release(msg);
            l.upstreamFailed(o.decoderResult().cause());
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            l.upstreamResponse(r);
        }
        if (msg instanceof HttpContent c) {
            l.upstreamContent(c); // an exchange owns it now
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null && ctx.channel().isWritable()) {
            l.upstreamWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.upstreamInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listener l = listener;
        if (l != null) {
            l.upstreamFailed(cause);
        }
        ctx.close();
    }
}
