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
 * Text to speech, dialogue, sound effects, music and speech to speech: generations that answer with
 * audio (raw and chunked, or base64 in JSON or NDJSON with timestamps) whose body carries no usage.
 * ElevenLabs meters them in the {@code character-cost} response header (credits, not characters),
 * which precedes the first audio byte, so a client that hangs up mid-stream is still metered
 * exactly. The audio is only counted, never parsed.
 */
final class AudioExchange implements Exchange {
    private final ElevenLabsRoute route;
    private final RequestFields request;
    private final String outputFormat;
    private int status = -1;
    private BigDecimal credits;
    private String requestId;
    private ElevenLabsError error;
    private JsonStream errorBody;
    private long bytes;

    AudioExchange(ElevenLabsRoute route, RequestInfo info) {
        this.route = route;
        this.request = new RequestFields(info.headers());
        this.outputFormat = info.queryParam("output_format");
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
        request.feed(chunk);
    }

    @Override
    public void requestEnd() {
        request.end();
    }

    @Override
    public void responseHead(int status, HeaderView headers) {
        this.status = status;
        this.requestId = headers.get("request-id");
        if (status >= 400) {
            error = new ElevenLabsError();
            errorBody = new JsonStream(error);
        } else {
            credits = CharacterCost.parse(headers.get("character-cost"));
        }
    }

    @Override
    public void responseBody(ByteBuffer chunk) {
        bytes += chunk.remaining();
        if (errorBody != null) {
            errorBody.feed(chunk);
        }
    }

    @Override
    public void responseEnd() {
        if (errorBody != null) {
            errorBody.end();
        }
    }

    @Override
    public Observation finish(Ending ending) {
        // a body cut short: what arrived of it still counts (a small one is read when it ends)
        request.end();
        if (errorBody != null) {
            errorBody.end();
        }
        if (status < 0) {
            // No response: nothing is known to have been consumed; incomplete unless the gateway
            // answered itself and forwarded nothing.
            return observation(Usage.NONE, null, null, ending != Ending.REJECTED);
        }
        if (status >= 400) {
            String message = error.message() != null ? error.message() : "HTTP " + status;
            return observation(Usage.NONE, message, error.requestId() != null ? error.requestId() : requestId, false);
        }
        Usage.Builder usage = Usage.builder().credits(credits);
        boolean metered = credits != null;
        switch (route.kind()) {
            case SPEECH -> usage.characters(request.textChars());
            case SOUND -> {
                BigDecimal asked = request.durationSeconds();
                BigDecimal seconds = asked != null ? asked : metered ? null : audioSeconds();
                if (seconds != null) {
                    usage.mediaSeconds(seconds);
                }
            }
            case MUSIC -> {
                // billed per minute of music: the length asked for is the meter; without one the
                // model chose, and the audio received is all there is to go by
                BigDecimal asked = request.musicSeconds();
                metered = asked != null;
                BigDecimal seconds = metered ? asked : audioSeconds();
                if (seconds != null) {
                    usage.mediaSeconds(seconds);
                }
            }
            case VOICE_CHANGE -> {
                if (!metered) {
                    // the output is about as long as the input audio that is billed
                    BigDecimal seconds = audioSeconds();
                    if (seconds != null) {
                        usage.mediaSeconds(seconds);
                    }
                }
            }
            default -> throw new IllegalStateException("not an audio route: " + route.kind());
        }
        // Without its meter the row keeps what the request says (characters, seconds asked for) or
        // what the audio received implies, marked estimated; cut short as well, it is incomplete.
        usage.estimated(!metered);
        return observation(usage.build(), null, requestId, !metered && ending != Ending.COMPLETE);
    }

    /** Playing time of the audio received, when the body is raw audio in a known format. */
    private BigDecimal audioSeconds() {
        return route.rawAudio() ? AudioFormat.seconds(outputFormat, bytes) : null;
    }

    private Observation observation(Usage usage, String message, String upstreamId, boolean incomplete) {
        String model = request.modelId() != null ? request.modelId() : route.defaultModel();
        return new Observation(route.operation(), route.modality(), model, usage, route.streamed(), upstreamId, message,
                incomplete, AsyncJob.NONE);
    }
}
