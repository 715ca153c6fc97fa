package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Images: generations (JSON request), edits and variations (multipart; the model is a form field,
 * possibly after megabytes of image parts). GPT image models report token usage (text and image
 * input tokens, image output tokens); DALL·E reports none, and is billed per image by the
 * request's size and quality: the row carries {@code images} = the response's {@code data}
 * length and the attributes {@code size} and {@code quality}. A stream ({@code stream: true}, GPT
 * image models only) sends {@code image_generation.partial_image} events and a
 * {@code image_generation.completed} event with the usage ({@code image_edit.*} for edits).
 */
final class ImageMeter extends Meter {
    /** Parameters only the GPT image models take: the API then defaults the model to gpt-image-1. */
    private static final Set<String> GPT_IMAGE_PARAMETERS = Set.of("background", "moderation", "output_compression",
            "output_format", "partial_images", "input_fidelity");

    private final boolean variation;
    private long promptBytes;
    private long requested = 1;
    private String requestSize;
    private String requestQuality;
    private boolean gptImageParameter;
    private int dataElements = -1;
    private long completedEvents;
    private String responseSize;
    private String responseQuality;

    /** @param variation {@code /v1/images/variations}, which only dall-e-2 serves */
    ImageMeter(boolean variation) {
        this.variation = variation;
    }

    @Override
    void onRequestValue(String path, JsonToken token, JsonStream s, long stringBytes) throws IOException {
        if (path.equals("prompt") && token == JsonToken.VALUE_STRING) {
            promptBytes += stringBytes;
        } else if (token != JsonToken.VALUE_NULL && token.isScalarValue() && !path.contains(".") && !path.contains("[")) {
            parameter(path, s.text());
        }
    }

    @Override
    void onRequestField(String name, String value) {
        if (name.equals("prompt")) {
            promptBytes += value.getBytes(StandardCharsets.UTF_8).length;
        } else {
            parameter(name, value);
        }
    }

    private void parameter(String name, String value) {
        switch (name) {
            case "n" -> {
                try {
                    requested = Math.max(1, Long.parseLong(value.strip()));
                } catch (NumberFormatException e) {
                    requested = 1; // the API rejects it; the error row has no usage anyway
                }
            }
            case "size" -> requestSize = value;
            case "quality" -> requestQuality = value;
            // streaming is for GPT image models only, too
            case "stream" -> gptImageParameter |= value.strip().equalsIgnoreCase("true");
            default -> gptImageParameter |= GPT_IMAGE_PARAMETERS.contains(name);
        }
    }

    @Override
    void onResponseValue(String event, String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "size" -> responseSize = text(token, s);
            case "quality" -> responseQuality = text(token, s);
            case "type" -> {
                String type = text(token, s);
                if (event != null && type != null && type.endsWith(".completed")) {
                    completedEvents++;
                }
            }
            default -> { }
        }
    }

    @Override
    void onResponseEnd(String event, String path, boolean array, int elements) {
        if (event == null && array && path.equals("data")) {
            dataElements = elements;
        }
    }

    @Override
    String model() {
        if (requestModel != null) {
            return requestModel;
        }
        // The API's default: dall-e-2, unless a GPT-image-only parameter was used (and a response
        // with token usage can only have come from a GPT image model).
        return !variation && (gptImageParameter || usage.reported()) ? "gpt-image-1" : "dall-e-2";
    }

    @Override
    Metered finish(Outcome outcome) {
        boolean events = outcome.body() == Body.EVENTS;
        long images = events ? completedEvents : Math.max(0, dataElements);
        boolean counted = events ? completedEvents > 0 : dataElements >= 0;
        String model = model();
        String size = responseSize != null ? responseSize : requestSize;
        String quality = responseQuality != null ? responseQuality : requestQuality;
        if (usage.reported()) {
            Usage.Builder b = usage.toBuilder(UsageTally.Output.IMAGE).images(counted ? images : requested);
            return metered(b.attribute("size", size).attribute("quality", quality).build(), false);
        }
        if (model.startsWith("dall-e")) {
            // Billed per image by the request's size and quality; the response says how many.
            boolean dallE3 = model.startsWith("dall-e-3");
            size = requestSize != null && !requestSize.equals("auto") ? requestSize : "1024x1024";
            quality = requestQuality == null || requestQuality.equals("auto") ? (dallE3 ? "standard" : null) : requestQuality;
            Usage.Builder b = Usage.builder().attribute("size", size).attribute("quality", quality);
            if (counted) {
                return metered(b.images(images).build(), false);
            }
            // The response was cut or unreadable: the n images asked for were most likely made.
            return metered(b.images(requested).estimated(true).build(), true);
        }
        // A GPT image model without usage (a body or stream cut short): the prompt at four bytes a
        // token, and for each image asked for the output tokens OpenAI's table gives its size and
        // quality (input images of an edit are not counted).
        long perImage = Estimates.gptImageOutputTokens(size, quality);
        long n = counted ? images : requested;
        return metered(Usage.builder()
                .inputTokens(Estimates.tokensForBytes(promptBytes))
                .outputTokens(perImage * n)
                .outputImageTokens(perImage * n)
                .images(n)
                .attribute("size", size)
                .attribute("quality", quality)
                .estimated(true)
                .build(), true);
    }
}
