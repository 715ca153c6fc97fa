package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * OpenAI ({@code api.openai.com/v1}; clients use the base URL {@code http://HOST:8080/openai/v1}).
 * Chat completions, responses, embeddings, images, speech, transcriptions and translations are
 * metered from the bodies as they pass; everything else is forwarded and recorded as a control
 * call. See {@link Route} for the route table and the {@link Meter}s for each API's usage.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean injectStreamUsage;

    /**
     * @param injectStreamUsage ask for usage on chat-completions streams whose client did not, and
     *                          hide it from the client (see {@link StreamUsageRewriter}); off for
     *                          OpenAI-compatible servers that reject {@code stream_options}
     */
    public OpenAiAdapter(boolean injectStreamUsage) {
        this.injectStreamUsage = injectStreamUsage;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Exchange begin(RequestInfo request) {
        return new OpenAiExchange(request, injectStreamUsage);
    }

    /** OpenAI's error shape, {@code {"error":{"message","type","param","code"}}}, which the SDKs surface as API errors. */
    @Override
    public byte[] errorBody(int status, String code, String message) {
        String type = status == 429 ? "rate_limit_error"
                : status >= 500 ? "server_error"
                : "invalid_request_error";
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message == null ? "" : message);
            g.writeStringField("type", type);
            g.writeNullField("param");
            if (code == null) {
                g.writeNullField("code");
            } else {
                g.writeStringField("code", code);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }
}
