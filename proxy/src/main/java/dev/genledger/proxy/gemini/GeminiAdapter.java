package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The Gemini API ({@code generativelanguage.googleapis.com}): the model is in the path, usage in
 * {@code usageMetadata} (cumulative in streams), and embeddings, Imagen and Veo report none.
 * Credentials may come as {@code ?key=}; the proxy removes it before the adapter sees the query,
 * and nothing here records the query.
 */
public final class GeminiAdapter implements ProviderAdapter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "gemini";
    }

    @Override
    public Exchange begin(RequestInfo request) {
        GeminiRoute route = GeminiRoute.of(request.method(), request.path());
        return switch (route.kind()) {
            case GENERATE, STREAM -> new GenerateExchange(route, request);
            case EMBED -> new EmbedExchange(route);
            case IMAGEN -> new ImagenExchange(route);
            case VIDEO_CREATE -> new VideoCreateExchange(route);
            case OPERATION -> new OperationExchange(route);
            case CONTROL -> new ControlExchange(route);
        };
    }

    /**
     * Google's error shape, {@code {"error":{"code","message","status","details"}}}, with the
     * gateway's code as the reason of a {@code google.rpc.ErrorInfo} detail, as Google reports its
     * own reasons ({@code API_KEY_INVALID}).
     */
    @Override
    public byte[] errorBody(int status, String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", status);
            g.writeStringField("message", message);
            g.writeStringField("status", rpcStatus(status));
            g.writeArrayFieldStart("details");
            g.writeStartObject();
            g.writeStringField("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            g.writeStringField("reason", code == null ? "GATEWAY_ERROR" : code.toUpperCase(Locale.ROOT));
            g.writeStringField("domain", "genledger");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The google.rpc status name Google pairs with an HTTP status. */
    static String rpcStatus(int status) {
        return switch (status) {
            case 400, 413 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }
}
