package dev.genledger.proxy.elevenlabs;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.RequestInfo;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * Speech to text, billed per hour of audio: {@code audio_duration_secs} in the response (per
 * channel, summed, for a multichannel transcript). With {@code webhook=true} the response is only
 * an acknowledgement and the transcript goes to the client's webhook: the row is written pending,
 * keyed by the transcription id, and a later fetch of that transcript through the gateway
 * ({@code GET /v1/speech-to-text/transcripts/{id}}) finalises it with the duration.
 */
final class TranscriptionExchange implements Exchange {
    private final ElevenLabsRoute route;
    private final RequestFields request;
    private final TranscriptReader transcript = new TranscriptReader();
    private final ElevenLabsError error = new ElevenLabsError();
    private JsonStream body;
    private int status = -1;
    private BigDecimal credits;
    private String requestId;
    private boolean responseEnded;

    TranscriptionExchange(ElevenLabsRoute route, RequestInfo info) {
        this.route = route;
        this.request = route.kind() == ElevenLabsRoute.Kind.TRANSCRIPTION ? new RequestFields(info.headers()) : null;
    }

    @Override
    public String operation() {
        return route.operation();
    }

    @Override
    public Modality modality() {
        return route.modality();
    }

    @Override
    public void requestBody(ByteBuffer chunk) {
        if (request != null) {
            request.feed(chunk);
        }
    }

    @Override
    public void requestEnd() {
        if (request != null) {
            request.end();
        }
    }

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.requestId = headers.get("request-id");
        this.credits = status < 400 ? CharacterCost.parse(headers.get("character-cost")) : null;
        this.body = new JsonStream(status < 400 ? transcript : error);
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        if (body != null) {
            body.feed(chunk);
        }
    }

    @Override
    public void responseEnd() {
        responseEnded = true;
        if (body != null) {
            body.end();
        }
    }

    @Override
    public Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        if (request != null) {
            request.end();
        }
        if (body != null) {
            body.end();
        }
        if (status < 0) {
            return observation(Usage.NONE, null, null, ending != Ending.REJECTED, AsyncJob.NONE);
        }
        if (status >= 400) {
            String message = error.message() != null ? error.message() : "HTTP " + status;
            return observation(Usage.NONE, message, error.requestId() != null ? error.requestId() : requestId, false,
                    AsyncJob.NONE);
        }
        boolean complete = ending == Ending.COMPLETE && responseEnded && !body.failed();
        if (route.kind() == ElevenLabsRoute.Kind.TRANSCRIPT) {
            return fetched(complete);
        }
        if (transcript.acknowledgement() || request.webhook() && !complete && transcript.reportedSeconds() == null) {
            return acknowledged();
        }
        Usage.Builder usage = Usage.builder().credits(credits);
        BigDecimal seconds = transcript.reportedSeconds();
        if (seconds != null) {
            return observation(usage.mediaSeconds(seconds).build(), null, requestId, false, AsyncJob.NONE);
        }
        // No duration reported (an older response, or one cut short): where the last word ends is
        // a lower bound of the audio's length.
        usage.mediaSeconds(transcript.wordSeconds()).estimated(true);
        return observation(usage.build(), null, requestId, !complete, AsyncJob.NONE);
    }

    /**
     * The asynchronous mode: nothing transcribed yet. Pending under the transcription id when there
     * is one; otherwise nothing can finalise the row, which is recorded as it stands, estimated.
     */
    private Observation acknowledged() {
        Usage.Builder usage = Usage.builder().credits(credits);
        String id = transcript.transcriptionId();
        if (id != null) {
            return observation(usage.build(), null, id, false, new AsyncJob.Started(id));
        }
        return observation(usage.estimated(true).build(), null, requestId, false, AsyncJob.NONE);
    }

    /** A fetched transcript: not a generation, but it finalises a pending asynchronous transcription. */
    private Observation fetched(boolean complete) {
        BigDecimal seconds = transcript.reportedSeconds();
        String id = transcript.transcriptionId() != null ? transcript.transcriptionId() : route.jobId();
        if (!complete || seconds == null) {
            // cut short, or a transcript without a duration: leave the pending row as it is
            return observation(Usage.NONE, null, id, !complete, AsyncJob.NONE);
        }
        Usage usage = Usage.builder().mediaSeconds(seconds).build();
        return observation(Usage.NONE, null, id, false, new AsyncJob.Finished(id, 200, null, usage, null));
    }

    private Observation observation(Usage usage, String message, String upstreamId, boolean incomplete, AsyncJob job) {
        String model = request != null ? request.modelId() : null;
        return new Observation(route.operation(), route.modality(), model, usage, route.streamed(), upstreamId, message,
                incomplete, job);
    }
}
