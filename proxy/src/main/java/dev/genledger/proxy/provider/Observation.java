package dev.genledger.proxy.provider;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import java.util.Objects;

/**
 * What an adapter learned from one exchange, handed to the proxy when the exchange ends.
 *
 * @param operation         what was done: {@code chat}, {@code responses}, {@code embeddings},
 *                          {@code image}, {@code image_edit}, {@code speech}, {@code transcription},
 *                          {@code translation}, {@code video}, {@code prediction}, {@code sound},
 *                          {@code music}, {@code dialogue}, … or a control call such as
 *                          {@code poll}, {@code cancel}, {@code models}, {@code count_tokens}
 * @param modality          {@link Modality#NONE} for control calls (not generations)
 * @param model             the response's model (a dated snapshot) when it names one, else the
 *                          request's; null when neither did
 * @param usage             what was consumed; estimated where derived
 * @param streamed          whether the response was a stream (SSE, NDJSON, a chunked audio stream)
 * @param upstreamRequestId the provider's id for the request (request-id header, Gemini
 *                          responseId, Replicate prediction id); null when none
 * @param errorMessage      the provider's error message for an error response; null otherwise
 * @param incomplete        the exchange ended before the provider reported final usage
 * @param job               what the exchange means for an async job
 */
public record Observation(String operation, Modality modality, String model, Usage usage, boolean streamed,
                          String upstreamRequestId, String errorMessage, boolean incomplete, AsyncJob job) {
    public Observation {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(modality, "modality");
        usage = usage == null ? Usage.NONE : usage;
        job = job == null ? AsyncJob.NONE : job;
    }
}
