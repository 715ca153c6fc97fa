package dev.genledger.proxy.openai;

import dev.genledger.ledger.Modality;
import java.util.regex.Pattern;

/**
 * An OpenAI route as the request head names it: what the call does, what it generates, and which
 * meter reads it. Known before the request is forwarded (the budget cap needs the modality then).
 *
 * @param kind which {@link Meter} reads the exchange
 */
record Route(String operation, Modality modality, Kind kind) {
    /** The meters, one per family of wire formats. */
    enum Kind {
        CHAT, COMPLETION, RESPONSES, RESPONSE_RETRIEVAL, EMBEDDINGS, IMAGE_GENERATION, IMAGE_EDIT, IMAGE_VARIATION,
        SPEECH, TRANSCRIPTION, CONTROL
    }

    // GET /v1/responses/{id} (a background response's poll) and POST /v1/responses/{id}/cancel
    private static final Pattern RESPONSE_BY_ID = Pattern.compile("/v1/responses/resp_[^/]+");
    private static final Pattern RESPONSE_CANCEL = Pattern.compile("/v1/responses/resp_[^/]+/cancel");

    static final Route OTHER = new Route("other", Modality.NONE, Kind.CONTROL);

    /** The route of a request; unknown routes are forwarded all the same, as {@code other}. */
    static Route of(String method, String rawPath) {
        String path = normalise(rawPath);
        if (method.equals("POST")) {
            Route r = generation(path);
            if (r != null) {
                return r;
            }
            if (RESPONSE_CANCEL.matcher(path).matches()) {
                return new Route("cancel", Modality.NONE, Kind.RESPONSE_RETRIEVAL);
            }
        }
        if (method.equals("GET") && RESPONSE_BY_ID.matcher(path).matches()) {
            return new Route("poll", Modality.NONE, Kind.RESPONSE_RETRIEVAL);
        }
        return control(path);
    }

    private static Route generation(String path) {
        return switch (path) {
            case "/v1/chat/completions" -> new Route("chat", Modality.TEXT, Kind.CHAT);
            // the legacy completions API has chat's usage shape; "chat" is the closest operation name
            case "/v1/completions" -> new Route("chat", Modality.TEXT, Kind.COMPLETION);
            case "/v1/responses" -> new Route("responses", Modality.TEXT, Kind.RESPONSES);
            case "/v1/embeddings" -> new Route("embeddings", Modality.EMBEDDING, Kind.EMBEDDINGS);
            case "/v1/images/generations" -> new Route("image", Modality.IMAGE, Kind.IMAGE_GENERATION);
            case "/v1/images/edits" -> new Route("image_edit", Modality.IMAGE, Kind.IMAGE_EDIT);
            case "/v1/images/variations" -> new Route("image_variation", Modality.IMAGE, Kind.IMAGE_VARIATION);
            case "/v1/audio/speech" -> new Route("speech", Modality.AUDIO, Kind.SPEECH);
            case "/v1/audio/transcriptions" -> new Route("transcription", Modality.AUDIO, Kind.TRANSCRIPTION);
            case "/v1/audio/translations" -> new Route("translation", Modality.AUDIO, Kind.TRANSCRIPTION);
            case "/v1/responses/input_tokens" -> new Route("count_tokens", Modality.NONE, Kind.CONTROL);
            default -> null;
        };
    }

    private static Route control(String path) {
        if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
            return new Route("models", Modality.NONE, Kind.CONTROL);
        }
        if (path.equals("/v1/files") || path.startsWith("/v1/files/") || path.startsWith("/v1/uploads")) {
            return new Route("files", Modality.NONE, Kind.CONTROL);
        }
        return OTHER;
    }

    /** Without a trailing slash, so that {@code /v1/embeddings/} routes like {@code /v1/embeddings}. */
    private static String normalise(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
