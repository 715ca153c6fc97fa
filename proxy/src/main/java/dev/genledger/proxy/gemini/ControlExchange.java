package dev.genledger.proxy.gemini;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.parse.JsonStream;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Observation;

/**
 * A call that generates nothing (countTokens, model listings, files, unknown routes): forwarded
 * as is and recorded without usage; only an error message is read.
 */
final class ControlExchange extends JsonExchange {
    ControlExchange(GeminiRoute route) {
        super(route, null, 0);
    }

    @Override
    void responseValue(String path, JsonToken token, JsonStream s) {}

    @Override
    Observation success(Ending ending) {
        return observation(Usage.NONE, null, null, false, AsyncJob.NONE);
    }
}
