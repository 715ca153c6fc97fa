package dev.genledger.ledger;

import java.util.Locale;

/**
 * What a generation produced. {@link #TEXT} and {@link #EMBEDDING} are "llm" spend; {@link #IMAGE},
 * {@link #AUDIO} and {@link #VIDEO} are "media" spend. {@link #NONE} marks a call that generates
 * nothing (a poll of a job, a model listing, a token count): it has its ledger row, but is not a
 * generation and is left out of every generation aggregate.
 */
public enum Modality {
    TEXT, EMBEDDING, IMAGE, AUDIO, VIDEO, NONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isLlm() {
        return this == TEXT || this == EMBEDDING;
    }

    public boolean isMedia() {
        return this == IMAGE || this == AUDIO || this == VIDEO;
    }

    public static Modality fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
