package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Observation;
import java.io.IOException;

/**
 * A poll ({@code GET /v1beta/{operation name}}) or cancel of a long-running operation. Not a
 * generation; when the operation is done it finalises the pending row written at create: with
 * the number of videos produced (none when all were safety-filtered, which Google does not bill),
 * or with the operation's error.
 */
final class OperationExchange extends JsonExchange {
    private static final String SAMPLES = "response.generateVideoResponse.generatedSamples";
    private static final String FILTER_REASON = "response.generateVideoResponse.raiMediaFilteredReasons[]";

    private String name;
    private boolean done;
    private long samples;
    private String filterReason;

    OperationExchange(GeminiRoute route) {
        super(route, null, 0);
    }

    @Override
    void responseValue(String path, JsonToken token, JsonStream s) throws IOException {
        switch (path) {
            case "name" -> name = s.text();
            case "done" -> done = token == JsonToken.VALUE_TRUE;
            case FILTER_REASON -> {
                if (filterReason == null) {
                    filterReason = s.text();
                }
            }
            default -> { }
        }
    }

    @Override
    void responseEnd(String path, boolean array, int elements) {
        if (array && path.equals(SAMPLES)) {
            samples = elements;
        }
    }

    @Override
    Observation success(Ending ending) {
        String id = name != null ? name : route.jobId();
        if (!complete(ending) || !done) {
            // Still running, or a response cut short: nothing to finalise from this poll.
            return observation(Usage.NONE, null, id, !complete(ending), AsyncJob.NONE);
        }
        AsyncJob job;
        if (error.seen()) {
            job = new AsyncJob.Finished(id, httpStatus(error.code()), error.message(), null, 0L);
        } else {
            String filtered = "no video produced (safety-filtered)" + (filterReason == null ? "" : ": " + filterReason);
            String why = samples > 0 ? null : GeminiError.cut(filtered);
            job = new AsyncJob.Finished(id, 200, why, null, samples);
        }
        return observation(Usage.NONE, null, id, false, job);
    }

    /** An operation's error carries a google.rpc.Code; the HTTP status Google maps it to. */
    static int httpStatus(long rpcCode) {
        return switch ((int) rpcCode) {
            case 1 -> 499;             // CANCELLED
            case 3, 9, 11 -> 400;      // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
            case 4 -> 504;             // DEADLINE_EXCEEDED
            case 5 -> 404;             // NOT_FOUND
            case 6, 10 -> 409;         // ALREADY_EXISTS, ABORTED
            case 7 -> 403;             // PERMISSION_DENIED
            case 8 -> 429;             // RESOURCE_EXHAUSTED
            case 12 -> 501;            // UNIMPLEMENTED
            case 14 -> 503;            // UNAVAILABLE
            case 16 -> 401;            // UNAUTHENTICATED
            default -> 500;            // UNKNOWN, INTERNAL, DATA_LOSS, or an HTTP-like code we cannot place
        };
    }
}
