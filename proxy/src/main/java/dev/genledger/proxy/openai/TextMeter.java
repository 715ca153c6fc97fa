package dev.genledger.proxy.openai;

import dev.genledger.pricing.Usage;

/**
 * What the two text-generation meters (chat completions and the Responses API) share: the bytes
 * and deltas an estimate rests on when no usage comes, the service tier, and how a finished
 * generation's usage is built from them.
 */
abstract sealed class TextMeter extends Meter permits ChatMeter, ResponsesMeter {
    /** UTF-8 bytes of the prompt's text. */
    protected long promptBytes;
    /** Output deltas of a stream (each about one token). */
    protected long outputDeltas;
    /** UTF-8 bytes of a body's output text. */
    protected long outputTextBytes;
    protected String requestServiceTier;
    protected String serviceTier;

    /**
     * The reported usage; without one (a stream whose client did not ask for usage, a stream cut
     * before its usage or terminal event, a body cut short or not JSON) an estimate marked
     * incomplete: input at four bytes a token of the prompt's text (framing, files and images not
     * counted), output a stream's deltas or a body's output text at four bytes a token.
     */
    protected final Metered finishText(Outcome outcome) {
        Usage.Builder b;
        boolean incomplete;
        if (usage.reported()) {
            b = usage.toBuilder(UsageTally.Output.MIXED);
            incomplete = false;
        } else {
            b = Usage.builder()
                    .inputTokens(Estimates.tokensForBytes(promptBytes))
                    .outputTokens(outcome.body() == Body.EVENTS ? outputDeltas : Estimates.tokensForBytes(outputTextBytes))
                    .estimated(true);
            incomplete = true;
        }
        String tier = serviceTier != null ? serviceTier
                : requestServiceTier != null && !requestServiceTier.equals("auto") ? requestServiceTier : null;
        b.attribute("service_tier", tier);
        return metered(b.build(), incomplete);
    }
}
