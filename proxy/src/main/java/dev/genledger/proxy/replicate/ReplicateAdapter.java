package dev.genledger.proxy.replicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.proxy.provider.ControlExchange;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Replicate ({@code api.replicate.com/v1}): predictions whose usage ({@code metrics}) is known only
 * once they are terminal, so most are written pending and finalised by a poll. Output streams live
 * on another host and never pass through the gateway.
 */
public final class ReplicateAdapter implements ProviderAdapter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "replicate";
    }

    @Override
    public Exchange begin(RequestInfo request) {
        ReplicateRoute route = ReplicateRoute.of(request.method(), request.path());
        return route.kind() == ReplicateRoute.Kind.CONTROL ? new ControlExchange(route.operation(), route.modality(), new ReplicateError(), null) : new PredictionExchange(route);
    }

    /**
     * Replicate's problem+json shape, {@code {"title","detail","status"}}; the gateway's code becomes
     * the title ({@code budget_exceeded} → "Budget exceeded").
     */
    @Override
    public byte[] errorBody(int status, String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("title", title(code));
            g.writeStringField("detail", message);
            g.writeNumberField("status", status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String title(String code) {
        if (code == null || code.isBlank()) {
            return "Gateway error";
        }
        String words = code.replace('_', ' ').replace('-', ' ').strip().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
