package dev.genledger.proxy;

import dev.genledger.ledger.Finalization;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.Modality;
import dev.genledger.ledger.Uuid7;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import dev.genledger.proxy.provider.RequestRewriter;
import dev.genledger.proxy.provider.ResponseFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: routes each request to its provider, forwards it and relays the
 * response, both streamed chunk by chunk, while the provider's adapter watches a copy of the
 * bytes; then writes the ledger row.
 *
 * <p>Flow control is explicit (AUTO_READ is off on both channels): the client is read only while
 * the upstream connection can take more, the upstream only while the client can; memory per
 * connection is therefore bounded by one read plus the channel's write buffer, whatever the body
 * size. While a response is awaited one read stays pending on the client so that a hang-up is
 * noticed and the upstream request cancelled; data a client pipelines meanwhile is held until the
 * current exchange ends. Everything runs on the connection's event loop: no locks, no I/O other
 * than Netty's, and the ledger gets a non-blocking offer.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final String GENERATION_ID = "X-Generation-Id";
    /** Request headers not forwarded besides hop-by-hop ones (Host and Accept-Encoding are set anew). */
    private static final List<AsciiString> NOT_FORWARDED = Stream.of("host", "expect", "accept-encoding",
            Attribution.ARTICLE_ID, Attribution.TASK, Attribution.CATEGORY, Attribution.CONTENT_PRODUCT,
            Attribution.PIPELINE_STEP, Attribution.PARENT_ID, Attribution.TAGS).map(AsciiString::cached).toList();

    private final ProxyContext px;
    private ChannelHandlerContext ctx;
    private Call call;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private long lastReadNanos;
    private ScheduledFuture<?> clientTimer;

    ClientHandler(ProxyContext px) {
        this.px = px;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        px.metrics.connectionOpened();
        lastReadNanos = System.nanoTime();
        scheduleClientTimer();
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        if (call != null && call.requestComplete) {
            held.add(msg); // a pipelined request: it waits for the current exchange to end
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            if (req.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                badHttp(req.decoderResult().cause());
                return;
            }
            call = new Call(req);
            call.start();
        }
        if (msg instanceof HttpContent c) {
            if (call != null && !call.requestComplete) {
                if (c.decoderResult().isFailure()) {
                    c.release();
                    call.malformedBody(c.decoderResult().cause());
                    return;
                }
                call.requestContent(c);
            } else {
                c.release();
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (call != null) {
            call.flushUpstream();
        }
        readClientIfReady();
    }

    /** Requests the next read from the client when the current state can take it. */
    private void readClientIfReady() {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        if (call == null) {
            ctx.read();
        } else if (!call.requestComplete) {
            if (call.canTakeRequestBytes()) {
                ctx.read();
            }
        } else if (held.isEmpty()) {
            ctx.read(); // keep a read pending to notice a client that hangs up
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && call != null) {
            call.readUpstream();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        px.metrics.connectionClosed();
        if (clientTimer != null) {
            clientTimer.cancel(false);
        }
        if (call != null) {
            call.clientGone();
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("proxy: client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** A request head Netty could not parse: 400, 414 or 431, then close. No ledger row: no request. */
    private void badHttp(Throwable cause) {
        int status = 400;
        String code = "bad_request";
        String message = "the request is not valid HTTP/1.1: " + cause.getMessage();
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri_too_long";
            message = "the request line is too long";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            status = 431;
            code = "headers_too_large";
            message = "the request headers are larger than " + px.settings.maxHeaderBytes() + " bytes";
        }
        px.metrics.rejected(code);
        replyAndClose(status, Replies.genericError(code, message));
    }

    private void replyAndClose(int status, byte[] body) {
        ctx.writeAndFlush(Replies.json(ctx.alloc(), status, body, true)).addListener(ChannelFutureListener.CLOSE);
    }

    /** An exchange ended: the next pipelined request, or read on, or close. */
    private void callDone(boolean keepConnection) {
        call = null;
        if (!keepConnection) {
            ctx.close();
            return;
        }
        while (call == null && !held.isEmpty()) {
            dispatch(held.poll());
        }
        if (call != null) {
            call.flushUpstream();
            // remaining held messages belong to the new call or later ones
            while (!held.isEmpty() && !call.requestComplete) {
                dispatch(held.poll());
            }
        }
        readClientIfReady();
    }

    // ------------------------------------------------------------------ client timeout

    private void scheduleClientTimer() {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(px.settings.clientTimeoutMs());
        long delay = Math.max(1, lastReadNanos + timeoutNanos - System.nanoTime());
        clientTimer = ctx.executor().schedule(this::checkClientTimeout, delay, TimeUnit.NANOSECONDS);
    }

    private void checkClientTimeout() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(px.settings.clientTimeoutMs());
        boolean waitingOnClient = call == null || !call.requestComplete;
        if (waitingOnClient && System.nanoTime() - lastReadNanos >= timeoutNanos) {
            if (call == null) {
                ctx.close(); // an idle keep-alive connection
            } else {
                call.clientTimedOut();
            }
            return;
        }
        if (!waitingOnClient) {
            lastReadNanos = System.nanoTime(); // the client is waiting for us: not its turn
        }
        scheduleClientTimer();
    }

    // ------------------------------------------------------------------ one request

    /** One request and its response. */
    private final class Call implements UpstreamHandler.Listener {
        final long startNanos = System.nanoTime();
        final Instant startedAt = Instant.now();
        final UUID id = Uuid7.at(startedAt.toEpochMilli());
        final HttpRequest clientRequest;
        final boolean keepAlive;
        final boolean http10;

        String provider;
        ProviderAdapter adapter;
        Exchange exchange;
        UpstreamPool pool;
        Attribution attribution = Attribution.NONE;
        String keyId;
        String endpoint;
        HttpRequest upstreamRequest;
        Channel upstream;
        boolean connecting;
        boolean headWritten;
        final ArrayDeque<HttpContent> pendingUp = new ArrayDeque<>();
        boolean requestComplete;
        boolean responseStarted;
        boolean responseComplete;
        boolean finished;
        boolean bodyless;
        long requestBytes;
        long responseBytes;
        long ttfbNanos = -1;
        int status;
        String error;
        BodyDecoder requestDecoder;
        BodyDecoder responseDecoder;
        RequestRewriter rewriter;
        CompositeByteBuf holdBody;
        ResponseFilter filter;
        long lastUpstreamReadNanos;
        boolean upstreamKeepAlive;
        ScheduledFuture<?> upstreamTimer;
        /** Whether the request was sent again after its pooled connection turned out closed. */
        boolean retried;

        Call(HttpRequest req) {
            this.clientRequest = req;
            this.keepAlive = HttpUtil.isKeepAlive(req);
            this.http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        }

        void start() {
            px.inFlight.incrementAndGet();
            QueryStringDecoder uri = new QueryStringDecoder(clientRequest.uri());
            String rawPath = uri.rawPath();
            int slash = rawPath.indexOf('/', 1);
            String first = slash < 0 ? rawPath.substring(1) : rawPath.substring(1, slash);
            adapter = px.adapters.get(first);
            if (adapter == null || !rawPath.startsWith("/")) {
                px.metrics.rejected("unknown_route");
                px.inFlight.decrementAndGet();
                finished = true;
                call = null; // no exchange: the rest of this request is discarded with the connection
                replyAndClose(404, Replies.genericError("unknown_route", "no provider at " + rawPath
                        + "; GenLedger proxies " + px.validPrefixes + " (e.g. base URL http://HOST:PORT/openai/v1)"));
                return;
            }
            provider = first;
            String path = slash < 0 ? "/" : rawPath.substring(slash);
            if (HttpRules.hasDotSegment(path)) {
                px.metrics.rejected("bad_path");
                px.inFlight.decrementAndGet();
                finished = true;
                call = null;
                replyAndClose(400, adapter.errorBody(400, "invalid_path", "the path " + path
                        + " has a '.' or '..' segment; send the provider's path as it is documented"));
                return;
            }
            endpoint = clientRequest.method().name() + " " + path;
            Map<String, List<String>> query = new LinkedHashMap<>(uri.parameters());
            HttpHeaders h = clientRequest.headers();
            keyId = px.keyIds.of(h, query);
            query.remove("key"); // a Gemini API key in the query: never handed to anything that records
            long contentLength = HttpUtil.getContentLength(clientRequest, -1L);
            exchange = adapter.begin(new RequestInfo(clientRequest.method().name(), path, query, h::get, contentLength));
            try {
                attribution = Attribution.from(h);
            } catch (Attribution.Invalid e) {
                reject(400, "invalid_header", e.getMessage(), "bad_header");
                return;
            }
            if (h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                // forwarded without its Upgrade (a hop-by-hop header), it would reach the provider as a
                // plain GET and fail there with an error that does not say why
                reject(501, "websocket_not_supported", "GenLedger forwards HTTP requests only, not WebSocket "
                        + "connections (OpenAI Realtime, Gemini Live, ElevenLabs input streaming); connect to "
                        + provider + " directly for those", "websocket");
                return;
            }
            if (contentLength > px.settings.maxRequestBodyBytes()) {
                reject(413, "request_too_large", "the request body is " + contentLength + " bytes; GenLedger forwards "
                        + "at most " + px.settings.maxRequestBodyBytes() + " (GENLEDGER_PROXY_MAX_REQUEST_BODY_BYTES)",
                        "too_large");
                return;
            }
            if (px.budgetCapReached != null && exchange.modality() != Modality.NONE
                    && px.budgetCapReached.getAsBoolean()) {
                reject(429, "budget_exceeded", "the monthly AI budget set in GenLedger is spent "
                        + "(GENLEDGER_BUDGET_HARD_CAP); requests resume next month or when the budget is raised",
                        "budget");
                return;
            }
            bodyless = clientRequest.method().equals(HttpMethod.HEAD);
            upstreamRequest = upstreamRequest(uri);
            rewriter = exchange.rewriter();
            if (rewriter != null && (contentLength < 0 || contentLength <= rewriter.maxBytes())) {
                holdBody = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
            } else {
                rewriter = null;
            }
            requestDecoder = BodyDecoder.forEncoding(h.get(HttpHeaderNames.CONTENT_ENCODING), exchange::requestBody);
            pool = px.pool(ctx.channel().eventLoop(), provider);
            acquireUpstream(false);
        }

        /** Asks the pool for a connection (with {@code fresh}, a new one); {@link #connected} follows. */
        private void acquireUpstream(boolean fresh) {
            connecting = true;
            io.netty.util.concurrent.Promise<Channel> acquired = pool.acquire(fresh);
            acquired.addListener(f -> connected(acquired));
        }

        /**
         * The request to send upstream, over the client request's own headers edited in place (the
         * adapter, the key id and the attribution have read them by now).
         */
        private HttpRequest upstreamRequest(QueryStringDecoder uri) {
            UpstreamTarget target = pool().target();
            String path = uri.rawPath().substring(1 + provider.length());
            String rawQuery = uri.rawQuery().isEmpty() ? null : uri.rawQuery();
            HttpHeaders h = clientRequest.headers();
            boolean chunked = HttpUtil.isTransferEncodingChunked(clientRequest);
            String accept = HttpRules.acceptEncoding(h.get(HttpHeaderNames.ACCEPT_ENCODING));
            HttpRules.keepEndToEnd(h, NOT_FORWARDED);
            h.set(HttpHeaderNames.HOST, target.hostHeader());
            if (accept != null) {
                h.set(HttpHeaderNames.ACCEPT_ENCODING, accept);
            }
            if (chunked) {
                h.remove(HttpHeaderNames.CONTENT_LENGTH).set(HttpHeaderNames.TRANSFER_ENCODING,
                        HttpHeaderValues.CHUNKED);
            }
            return new DefaultHttpRequest(HttpVersion.HTTP_1_1, clientRequest.method(),
                    target.requestTarget(path.isEmpty() ? "/" : path, rawQuery), h);
        }

        private UpstreamPool pool() {
            return pool != null ? pool : px.pool(ctx.channel().eventLoop(), provider);
        }

        // ---------------------------------------------------------- request direction

        private void connected(Future<Channel> f) {
            connecting = false;
            if (finished) {
                if (f.isSuccess()) {
                    pool.release(f.getNow());
                }
                return;
            }
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                if (cause instanceof UpstreamPool.Exhausted) {
                    px.metrics.upstreamError(provider, "pool_exhausted");
                    fail(503, "gateway_busy", "all of GenLedger's connections to " + provider + " are in use "
                            + "(GENLEDGER_PROXY_MAX_CONNECTIONS_PER_UPSTREAM=" + px.settings.maxConnectionsPerUpstream()
                            + ") and none was free within " + px.settings.connectTimeoutMs() + " ms");
                    return;
                }
                px.metrics.upstreamError(provider, "connect");
                UpstreamTarget t = pool.target();
                fail(502, "upstream_unreachable", "cannot reach " + provider + " at " + t.host() + ":" + t.port()
                        + ": " + cause.getMessage());
                return;
            }
            upstream = f.getNow();
            upstream.pipeline().get(UpstreamHandler.class).attach(this);
            flushUpstream();
            upstream.read();
            readClientIfReady();
        }

        boolean canTakeRequestBytes() {
            if (holdBody != null) {
                return true; // held in memory up to the rewriter's limit
            }
            return upstream != null && upstream.isWritable() && pendingUp.isEmpty();
        }

        void requestContent(HttpContent c) {
            if (finished) {
                c.release();
                return;
            }
            ByteBuf buf = c.content();
            requestBytes += buf.readableBytes();
            if (requestBytes > px.settings.maxRequestBodyBytes()) {
                c.release();
                reject(413, "request_too_large", "the request body is larger than "
                        + px.settings.maxRequestBodyBytes() + " bytes (GENLEDGER_PROXY_MAX_REQUEST_BODY_BYTES)",
                        "too_large");
                return;
            }
            tee(requestDecoder, buf, true);
            boolean last = c instanceof LastHttpContent;
            if (last) {
                requestComplete = true;
                if (requestDecoder != null) {
                    requestDecoder.finish();
                }
                exchange.requestEnd();
            }
            if (holdBody != null) {
                holdBody.addComponent(true, buf.retain());
                c.release();
                if (holdBody.readableBytes() > rewriter.maxBytes()) {
                    stopHolding(last); // too big to rewrite: forward it as it is
                } else if (last) {
                    rewriteHeld();
                }
            } else {
                pendingUp.add(c);
            }
            if (last) {
                flushUpstream();
            }
        }

        private void stopHolding(boolean last) {
            CompositeByteBuf body = holdBody;
            holdBody = null;
            rewriter = null;
            pendingUp.add(last ? new DefaultLastHttpContent(body) : new DefaultHttpContent(body));
        }

        private void rewriteHeld() {
            CompositeByteBuf body = holdBody;
            holdBody = null;
            RequestRewriter.Rewrite r;
            try {
                r = rewriter.rewrite(ByteBufUtil.getBytes(body));
            } catch (RuntimeException e) {
                log.warn("proxy: {} request rewrite failed; forwarding the request unchanged", provider, e);
                r = null;
            }
            if (r == null) {
                pendingUp.add(new DefaultLastHttpContent(body));
                return;
            }
            body.release();
            filter = r.filter();
            upstreamRequest.headers().remove(HttpHeaderNames.TRANSFER_ENCODING)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
            if (filter != null) {
                // the filter edits the relayed bytes, so it must see them uncompressed
                upstreamRequest.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
            }
            pendingUp.add(new DefaultLastHttpContent(Unpooled.wrappedBuffer(r.body())));
        }

        /** Writes what is ready to the upstream connection. */
        void flushUpstream() {
            if (upstream == null || finished || holdBody != null) {
                return;
            }
            boolean wrote = false;
            if (!headWritten) {
                upstream.write(upstreamRequest);
                headWritten = true;
                wrote = true;
            }
            HttpContent c;
            while ((c = pendingUp.poll()) != null) {
                boolean last = c instanceof LastHttpContent;
                upstream.write(c);
                wrote = true;
                if (last) {
                    startUpstreamTimer();
                }
            }
            if (wrote) {
                upstream.flush();
            }
        }

        @Override
        public void upstreamWritable() {
            readClientIfReady();
        }

        // ---------------------------------------------------------- response direction

        @Override
        public void upstreamResponse(HttpResponse r) {
            lastUpstreamReadNanos = System.nanoTime();
            if (finished) {
                return;
            }
            if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // an interim response (103 Early Hints): the final one follows. It is not relayed, as the
                // API clients behind the gateway have no use for it; its empty end is dropped below, as
                // anything before the response starts
                return;
            }
            ttfbNanos = System.nanoTime() - startNanos;
            status = r.status().code();
            responseStarted = true;
            upstreamKeepAlive = HttpUtil.isKeepAlive(r);
            exchange.responseHead(status, r.headers()::get);
            if (filter == null) {
                responseDecoder = BodyDecoder.forEncoding(r.headers().get(HttpHeaderNames.CONTENT_ENCODING),
                        exchange::responseBody);
            }
            // the upstream's headers, edited in place: the exchange has read them
            HttpHeaders headers = r.headers();
            HttpRules.keepEndToEnd(headers, List.of());
            HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status(), headers);
            boolean noBody = bodyless || status < 200 || status == 204 || status == 304;
            if (!noBody && (filter != null || !headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
                out.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                if (http10) {
                    out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                } else {
                    HttpUtil.setTransferEncodingChunked(out, true);
                }
            }
            out.headers().set(GENERATION_ID, id.toString());
            if (!keepAlive || !requestComplete) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (http10) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(out);
        }

        @Override
        public void upstreamContent(HttpContent c) {
            lastUpstreamReadNanos = System.nanoTime();
            if (finished || !responseStarted) {
                c.release();
                return;
            }
            ByteBuf buf = c.content();
            responseBytes += buf.readableBytes();
            tee(responseDecoder, buf, false);
            boolean last = c instanceof LastHttpContent;
            io.netty.channel.ChannelFuture lastWrite = null;
            if (filter != null) {
                ByteBuffer out = filter.filter(buf.nioBuffer());
                c.release();
                if (out.hasRemaining()) {
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(out)));
                }
                if (last) {
                    ByteBuffer rest = filter.finish();
                    lastWrite = ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(rest)));
                }
            } else if (last) {
                lastWrite = ctx.writeAndFlush(c);
            } else {
                ctx.write(c);
            }
            if (last) {
                responseEnded(lastWrite);
            }
        }

        private void responseEnded(io.netty.channel.ChannelFuture lastWrite) {
            responseComplete = true;
            cancelUpstreamTimer();
            if (responseDecoder != null) {
                responseDecoder.finish();
            }
            exchange.responseEnd();
            letGoOfUpstream(requestComplete && upstreamKeepAlive);
            // latency ends when the last byte has been handed to the client's socket
            lastWrite.addListener(f -> {
                if (f.isSuccess()) {
                    end(Ending.COMPLETE, status, null);
                    callDone(keepAlive && requestComplete && !http10Close());
                } else {
                    endClientGone("client closed the connection before the response was sent");
                    ctx.close();
                }
            });
        }

        private boolean http10Close() {
            return http10 && !keepAlive;
        }

        @Override
        public void upstreamReadComplete() {
            if (finished) {
                return;
            }
            ctx.flush();
            readUpstream();
        }

        /** Reads on from the upstream when the client can take more. */
        void readUpstream() {
            if (upstream != null && !responseComplete && ctx.channel().isWritable()) {
                upstream.read();
            }
        }

        @Override
        public void upstreamInactive() {
            if (finished || responseComplete) {
                return;
            }
            boolean reused = upstream != null && upstream.pipeline().get(UpstreamHandler.class).reused();
            letGoOfUpstream(false); // closed already: this frees its place in the bounded pool
            if (!responseStarted && reused && !retried && replayable()) {
                // a pooled connection the upstream had closed as the request went out: the race every
                // keep-alive client has. A request without a body whose method is idempotent is sent
                // again, once, on a new connection; anything else could run twice upstream
                retried = true;
                px.metrics.upstreamError(provider, "stale_connection");
                retry();
                return;
            }
            px.metrics.upstreamError(provider, "reset");
            String what = responseStarted ? "mid-response" : "before responding";
            if (responseStarted) {
                brokenMidResponse("upstream closed the connection " + what);
            } else {
                fail(502, "upstream_closed", provider + " closed the connection " + what);
            }
        }

        /** Idempotent (RFC 9110 §9.2.2), complete and without a body: safe to send a second time. */
        private boolean replayable() {
            if (!requestComplete || requestBytes > 0 || holdBody != null) {
                return false;
            }
            HttpMethod m = clientRequest.method();
            return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                    || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
        }

        private void retry() {
            cancelUpstreamTimer();
            headWritten = false;
            releasePendingUp(); // at most the end of a bodiless request, sent again below
            pendingUp.add(LastHttpContent.EMPTY_LAST_CONTENT);
            acquireUpstream(true);
        }

        @Override
        public void upstreamFailed(Throwable cause) {
            log.debug("proxy: upstream {} failed: {}", provider, cause.toString());
        }

        // ---------------------------------------------------------- timers

        private void startUpstreamTimer() {
            lastUpstreamReadNanos = System.nanoTime();
            scheduleUpstreamTimer(TimeUnit.MILLISECONDS.toNanos(px.settings.idleTimeoutMs()));
        }

        private void scheduleUpstreamTimer(long delayNanos) {
            upstreamTimer = ctx.executor().schedule(this::checkUpstreamIdle, Math.max(1, delayNanos),
                    TimeUnit.NANOSECONDS);
        }

        private void checkUpstreamIdle() {
            if (finished || responseComplete) {
                return;
            }
            long timeout = TimeUnit.MILLISECONDS.toNanos(px.settings.idleTimeoutMs());
            long idle = System.nanoTime() - lastUpstreamReadNanos;
            if (idle < timeout) {
                scheduleUpstreamTimer(timeout - idle); // it sent something since: a live stream is never cut
                return;
            }
            px.metrics.upstreamError(provider, "timeout");
            String msg = provider + " sent nothing for " + px.settings.idleTimeoutMs() + " ms "
                    + "(GENLEDGER_PROXY_IDLE_TIMEOUT_MS)";
            if (responseStarted) {
                brokenMidResponse(msg);
            } else {
                fail(504, "upstream_timeout", msg);
            }
        }

        private void cancelUpstreamTimer() {
            if (upstreamTimer != null) {
                upstreamTimer.cancel(false);
            }
        }

        void clientTimedOut() {
            px.metrics.rejected("client_timeout");
            reject(408, "request_timeout", "the request was not received within " + px.settings.clientTimeoutMs()
                    + " ms of the last byte (GENLEDGER_PROXY_CLIENT_TIMEOUT_MS)", null);
        }

        void malformedBody(Throwable cause) {
            reject(400, "bad_request", "the request body is not valid HTTP framing: " + cause.getMessage(),
                    "bad_request");
        }

        // ---------------------------------------------------------- endings

        /** The client went away: cancel the upstream request, record what was seen. */
        void clientGone() {
            if (finished) {
                return;
            }
            dropUpstream();
            endClientGone("client closed the connection");
            call = null;
        }

        /**
         * Ends the exchange of a client that left: complete, with the upstream's status, when it left
         * after the stream's last event (nothing it wanted was cut short); else 499 with {@code why}.
         */
        private void endClientGone(String why) {
            if (exchange.responseDone()) {
                end(Ending.COMPLETE, status, null);
            } else {
                end(Ending.CLIENT_ABORTED, 499, why);
            }
        }

        /** Refuses the request itself (nothing forwarded, or forwarding abandoned): reply, record, close. */
        private void reject(int code, String errorCode, String message, String reason) {
            if (finished) {
                return;
            }
            if (reason != null) {
                px.metrics.rejected(reason);
            }
            dropUpstream();
            if (!responseStarted) {
                writeError(code, errorCode, message);
            } else {
                ctx.close();
            }
            end(Ending.REJECTED, code, message);
            call = null;
        }

        /** The upstream failed before any response: a 502/504 in the provider's shape, then close. */
        private void fail(int code, String errorCode, String message) {
            if (finished) {
                return;
            }
            dropUpstream();
            writeError(code, errorCode, message);
            end(Ending.UPSTREAM_FAILED, code, message);
            call = null;
        }

        /** The upstream failed mid-response: the client cannot be told in-band; close its connection. */
        private void brokenMidResponse(String message) {
            dropUpstream();
            ctx.flush();
            ctx.close();
            end(Ending.UPSTREAM_FAILED, status, message);
            call = null;
        }

        private void writeError(int code, String errorCode, String message) {
            var r = Replies.json(ctx.alloc(), code, adapter.errorBody(code, errorCode, message), true);
            r.headers().set(GENERATION_ID, id.toString());
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }

        private void dropUpstream() {
            cancelUpstreamTimer();
            letGoOfUpstream(false); // closing it cancels the upstream request
            releasePendingUp();
            if (holdBody != null) {
                holdBody.release();
                holdBody = null;
            }
        }

        private void releasePendingUp() {
            HttpContent c;
            while ((c = pendingUp.poll()) != null) {
                c.release();
            }
        }

        /**
         * Hands the upstream connection back to its pool, for the next exchange or to be closed (which
         * frees its place in the pool); this exchange hears no more from it.
         */
        private void letGoOfUpstream(boolean reuse) {
            Channel up = upstream;
            upstream = null;
            if (up != null) {
                up.pipeline().get(UpstreamHandler.class).detach();
                if (reuse) {
                    pool.release(up);
                } else {
                    pool.discard(up);
                }
            }
        }

        /** Once per request: the observation, the ledger row, the metrics. */
        private void end(Ending ending, int finalStatus, String transportError) {
            if (finished) {
                return;
            }
            finished = true;
            cancelUpstreamTimer();
            px.inFlight.decrementAndGet();
            if (responseDecoder != null && !responseComplete) {
                responseDecoder.finish();
            }
            if (requestDecoder != null && !requestComplete) {
                requestDecoder.finish();
            }
            long latencyNanos = System.nanoTime() - startNanos;
            Observation obs;
            try {
                obs = exchange.finish(ending);
            } catch (RuntimeException e) {
                log.error("proxy: {} adapter failed to finish an exchange; recording it without usage", provider, e);
                obs = new Observation(exchange.operation(), exchange.modality(), null, Usage.NONE, false, null,
                        null, true, AsyncJob.NONE);
            }
            String err = transportError != null ? transportError : finalStatus >= 400 ? obs.errorMessage() : null;
            boolean failed = finalStatus >= 400 || err != null;
            boolean pending = obs.job() instanceof AsyncJob.Started && !failed;
            Usage usage = obs.usage();
            Cost cost;
            if (pending) {
                cost = Cost.UNPRICED;
            } else if (obs.modality() == Modality.NONE || (failed && usage.isEmpty())) {
                cost = Cost.FREE;
            } else {
                cost = px.pricer.price(provider, obs.model(), obs.operation(), usage, startedAt);
            }
            String upstreamId = obs.job() instanceof AsyncJob.Started s ? s.jobId() : obs.upstreamRequestId();
            Generation g = Generation.builder()
                    .id(id)
                    .startedAt(startedAt)
                    .provider(provider)
                    .operation(obs.operation())
                    .endpoint(endpoint)
                    .model(obs.model())
                    .modality(obs.modality())
                    .task(attribution.task())
                    .articleId(attribution.articleId())
                    .category(attribution.category())
                    .contentProduct(attribution.contentProduct())
                    .pipelineStep(attribution.pipelineStep())
                    .parentId(attribution.parentId())
                    .tags(attribution.tags())
                    .keyId(keyId)
                    .status(finalStatus)
                    .error(err == null ? null : truncate(err))
                    .streamed(obs.streamed())
                    .state(pending ? Generation.State.PENDING : Generation.State.COMPLETE)
                    .usage(usage)
                    .cost(cost)
                    .latencyMs(latencyNanos / 1e6)
                    .ttfbMs(ttfbNanos < 0 ? null : ttfbNanos / 1e6)
                    .requestBytes(requestBytes)
                    .responseBytes(responseBytes)
                    .upstreamRequestId(upstreamId)
                    .incomplete(obs.incomplete() || ending == Ending.CLIENT_ABORTED
                            || ending == Ending.UPSTREAM_FAILED && responseStarted)
                    .build();
            px.ledger.accept(g);
            if (obs.job() instanceof AsyncJob.Finished f) {
                px.ledger.accept(new Finalization(provider, f.jobId(), Instant.now(), f.status(), f.error(), f.usage(),
                        f.outputs()));
            }
            px.metrics.request(provider, obs.operation(), finalStatus, latencyNanos, ttfbNanos);
        }

        private static String truncate(String s) {
            return s.length() <= 1000 ? s : s.substring(0, 1000) + "…";
        }

        private void tee(BodyDecoder decoder, ByteBuf buf, boolean request) {
            if (!buf.isReadable()) {
                return;
            }
            try {
                if (decoder != null) {
                    decoder.feed(buf);
                } else {
                    for (ByteBuffer b : buf.nioBuffers()) {
                        if (request) {
                            exchange.requestBody(b.asReadOnlyBuffer());
                        } else {
                            exchange.responseBody(b.asReadOnlyBuffer());
                        }
                    }
                }
            } catch (RuntimeException e) {
                // an adapter bug must never break forwarding
                log.error("proxy: {} adapter failed on a body chunk; forwarding continues", provider, e);
            }
        }
    }
}
