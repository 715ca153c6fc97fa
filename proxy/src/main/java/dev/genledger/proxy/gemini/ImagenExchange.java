package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;

/**
 * Imagen {@code :predict}. The response has no usage: Imagen bills per image, so the images are
 * the predictions that carry bytes; a prediction filtered by safety carries
 * {@code raiFilteredReason} instead and is not counted (not billed).
 */
final class ImagenExchange extends JsonExchange {
    /** Imagen's default {@code sampleCount} on the Gemini API. */
    static final long DEFAULT_SAMPLES = 4;

    private final Request request;
    private long images;

    ImagenExchange(GeminiRoute route) {
        this(route, new Request());
    }

    private ImagenExchange(GeminiRoute route, Request request) {
        super(route, request, JsonStream.DEFAULT_MAX_STRING_BYTES);
        this.request = request;
    }

    /** Reads how many images were asked for. */
    private static final class Request implements JsonStream.Listener {
        long samples = DEFAULT_SAMPLES;

        @Override
        public void value(String path, JsonToken token, JsonStream s) throws IOException {
            if (path.equals("parameters.sampleCount")) {
                samples = Math.max(1, s.longValue());
            }
        }
    }

    @Override
    void responseValue(String path, JsonToken token, JsonStream s) {
        if (path.equals("predictions[].bytesBase64Encoded")) {
            images++;
        }
    }

    @Override
    Observation success(Ending ending) {
        if (complete(ending)) {
            return observation(Usage.builder().images(images).build(), null, null, false, AsyncJob.NONE);
        }
        // Cut short: the images were generated all the same. Count those seen, or the number asked
        // for if more (which overcounts any that would have been filtered).
        Usage usage = Usage.builder().images(Math.max(images, request.samples)).estimated(true).build();
        return observation(usage, null, null, true, AsyncJob.NONE);
    }
}
