package dev.genledger.proxy.gemini;

import dev.genledger.ledger.Modality;
import java.util.Locale;

/**
 * What a Gemini API request is, from its method and path alone ({@code /v1beta/models/{model}:{method}},
 * {@code /v1/...}, {@code /v1beta/{operation name}}).
 *
 * @param model the model named by the path ({@code gemini-2.5-flash}, {@code tunedModels/x}), or null
 * @param jobId the operation name for a poll or cancel of a long-running operation, else null
 */
record GeminiRoute(Kind kind, String operation, Modality modality, String model, boolean streamed, String jobId) {

    enum Kind {
        /** generateContent: one JSON response. */
        GENERATE,
        /** streamGenerateContent: SSE with {@code alt=sse}, else one streamed JSON array. */
        STREAM,
        /** embedContent / batchEmbedContents: no usage in the response. */
        EMBED,
        /** Imagen {@code :predict}: count the returned images. */
        IMAGEN,
        /** Veo {@code :predictLongRunning}: starts an operation, priced when a poll sees it done. */
        VIDEO_CREATE,
        /** GET of a long-running operation, or its {@code :cancel}. */
        OPERATION,
        /** Anything that generates nothing: token counts, listings, files, unknown routes. */
        CONTROL
    }

    static GeminiRoute of(String method, String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String version = slash < 0 ? rest : rest.substring(0, slash);
        if (version.equals("upload")) {
            return control("files", null);
        }
        if (slash < 0 || !version.startsWith("v1")) {
            return control("other", null);
        }
        String resource = rest.substring(slash + 1);
        String verb = null;
        int colon = resource.lastIndexOf(':');
        if (colon > resource.lastIndexOf('/')) {
            verb = resource.substring(colon + 1);
            resource = resource.substring(0, colon);
        }
        int ops = resource.indexOf("/operations/");
        if (resource.startsWith("operations/") || ops > 0) {
            String model = ops > 0 ? modelOf(resource.substring(0, ops)) : null;
            boolean cancel = "cancel".equals(verb);
            if (!cancel && !method.equals("GET")) {
                return control("other", model);
            }
            return new GeminiRoute(Kind.OPERATION, cancel ? "cancel" : "poll", Modality.NONE, model, false, resource);
        }
        if (resource.equals("models") || resource.equals("tunedModels")) {
            return control("models", null);
        }
        if (resource.startsWith("files")) {
            return control("files", null);
        }
        if (!resource.startsWith("models/") && !resource.startsWith("tunedModels/")) {
            return control("other", null);
        }
        String model = modelOf(resource);
        if (verb == null) {
            return control(method.equals("GET") ? "models" : "other", model);
        }
        return switch (verb) {
            case "generateContent" -> generation(Kind.GENERATE, model, false);
            case "streamGenerateContent" -> generation(Kind.STREAM, model, true);
            case "embedContent", "batchEmbedContents" ->
                    new GeminiRoute(Kind.EMBED, "embeddings", Modality.EMBEDDING, model, false, null);
            case "predict" -> new GeminiRoute(Kind.IMAGEN, "image", Modality.IMAGE, model, false, null);
            case "predictLongRunning" -> new GeminiRoute(Kind.VIDEO_CREATE, "video", Modality.VIDEO, model, false, null);
            case "countTokens" -> control("count_tokens", model);
            // batchGenerateContent (async batch at half price) and anything newer: forwarded, not metered
            default -> control("other", model);
        };
    }

    /**
     * generateContent on an image or TTS model produces an image or audio; the modality must be known
     * before forwarding, so it comes from the model name (the request's responseModalities is not read
     * yet). Image models are named {@code *-image*}, TTS models {@code *-tts}.
     */
    private static GeminiRoute generation(Kind kind, String model, boolean streamed) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.contains("image")) {
            return new GeminiRoute(kind, "image", Modality.IMAGE, model, streamed, null);
        }
        if (m.contains("tts")) {
            return new GeminiRoute(kind, "speech", Modality.AUDIO, model, streamed, null);
        }
        return new GeminiRoute(kind, "chat", Modality.TEXT, model, streamed, null);
    }

    private static GeminiRoute control(String operation, String model) {
        return new GeminiRoute(Kind.CONTROL, operation, Modality.NONE, model, false, null);
    }

    /** {@code models/gemini-2.5-flash} → {@code gemini-2.5-flash}; tuned models keep their prefix. */
    private static String modelOf(String resource) {
        return resource.startsWith("models/") ? resource.substring("models/".length()) : resource;
    }
}
