package dev.genledger.proxy.elevenlabs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.proxy.provider.ControlExchange;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * ElevenLabs ({@code api.elevenlabs.io}): the model is the body's {@code model_id} (a form field for
 * speech to text and speech to speech), the meter is the {@code character-cost} response header
 * (credits), and speech to text reports the audio duration in its body.
 */
public final class ElevenLabsAdapter implements ProviderAdapter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "elevenlabs";
    }

    @Override
    public Exchange begin(RequestInfo request) {
        ElevenLabsRoute route = ElevenLabsRoute.of(request.method(), request.path());
        return switch (route.kind()) {
            case SPEECH, SOUND, MUSIC, VOICE_CHANGE -> new AudioExchange(route, request);
            case TRANSCRIPTION, TRANSCRIPT -> new TranscriptionExchange(route, request);
            case CONTROL -> new ControlExchange(route.operation(), route.modality(), new ElevenLabsError(), "request-id");
        };
    }

    /**
     * ElevenLabs' error shape, {@code {"detail":{"type","code","message","status"}}}: the gateway's
     * code goes in {@code code} and, as ElevenLabs puts its machine-readable word there, in
     * {@code status}.
     */
    @Override
    public byte[] errorBody(int status, String code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("detail");
            g.writeStringField("type", errorType(status));
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeStringField("status", code);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String errorType(int status) {
        return switch (status) {
            case 401, 403 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "service_unavailable" : "invalid_request";
        };
    }
}
