package dev.genledger.proxy.openai;

import dev.genledger.pricing.Usage;

/**
 * Control calls (model listings, files, batches, token counts, anything unknown): forwarded and
 * recorded, but not generations, so they carry no usage. The model is the request's when its body
 * names one (a token count, a fine-tuning job), else null.
 */
final class ControlMeter extends Meter {
    @Override
    Metered finish(Outcome outcome) {
        return metered(Usage.NONE, false);
    }
}
