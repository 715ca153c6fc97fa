package dev.genledger.proxy;

import dev.genledger.ledger.LedgerJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Responses the gateway writes itself: JSON errors. */
final class Replies {
    private Replies() {}

    /** GenLedger's own error shape, for requests that reach no provider: {@code {"error":{"code","message"}}}. */
    static byte[] genericError(String code, String message) {
        return ("{\"error\":{\"code\":" + json(code) + ",\"message\":" + json(message) + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static FullHttpResponse json(ByteBufAllocator alloc, int status, byte[] body, boolean close) {
        ByteBuf content = alloc.buffer(body.length).writeBytes(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    static String json(String s) {
        return LedgerJson.quote(s);
    }
}
