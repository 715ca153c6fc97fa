package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Veo {@code :predictLongRunning}: the response names an operation, and the cost is known only once
 * a poll sees it done. The row is written pending with the usage the request asked for: seconds =
 * {@code durationSeconds} × {@code sampleCount}, with the resolution and the number of videos asked
 * for, so that the finalisation can scale by the videos actually produced (a safety-filtered video
 * is not billed).
 */
final class VideoCreateExchange extends JsonExchange {
    /** The Gemini API's defaults for Veo: 8 seconds, one video, 720p. */
    static final BigDecimal DEFAULT_SECONDS = BigDecimal.valueOf(8);
    static final String DEFAULT_RESOLUTION = "720p";

    private final Request request;
    private String name;

    VideoCreateExchange(GeminiRoute route) {
        this(route, new Request());
    }

    private VideoCreateExchange(GeminiRoute route, Request request) {
        super(route, request, JsonStream.DEFAULT_MAX_STRING_BYTES);
        this.request = request;
    }

    /** Reads the price-relevant parameters ({@code durationSeconds} is a string such as "8"). */
    private static final class Request implements JsonStream.Listener {
        BigDecimal seconds = DEFAULT_SECONDS;
        long samples = 1;
        String resolution = DEFAULT_RESOLUTION;

        @Override
        public void value(String path, JsonToken token, JsonStream s) throws IOException {
            switch (path) {
                case "parameters.durationSeconds" -> {
                    BigDecimal d = s.decimal();
                    if (d != null && d.signum() > 0) {
                        seconds = d;
                    }
                }
                case "parameters.sampleCount" -> samples = Math.max(1, s.longValue());
                case "parameters.resolution" -> {
                    if (token == JsonToken.VALUE_STRING && !s.text().isBlank()) {
                        resolution = s.text();
                    }
                }
                default -> { }
            }
        }
    }

    @Override
    void responseValue(String path, JsonToken token, JsonStream s) throws IOException {
        if (path.equals("name") && token == JsonToken.VALUE_STRING) {
            name = s.text();
        }
    }

    @Override
    Observation success(Ending ending) {
        Usage.Builder usage = Usage.builder()
                .mediaSeconds(request.seconds.multiply(BigDecimal.valueOf(request.samples)))
                .attribute("resolution", request.resolution)
                .attribute("outputs_requested", Long.toString(request.samples));
        if (name != null) {
            return observation(usage.build(), null, name, !complete(ending), new AsyncJob.Started(name));
        }
        // The operation was probably created, but its name never arrived, so no poll can be matched
        // to it: record what was asked for as a complete, estimated row.
        return observation(usage.estimated(true).build(), null, null, true, AsyncJob.NONE);
    }
}
