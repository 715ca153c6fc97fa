package dev.genledger.proxy;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerRecord;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Collects the records the proxy offers, for assertions (the real writer is tested elsewhere). */
final class RecordingLedger implements Consumer<LedgerRecord> {
    final LinkedBlockingQueue<LedgerRecord> records = new LinkedBlockingQueue<>();

    @Override
    public void accept(LedgerRecord r) {
        records.add(r);
    }

    /** The next row, waiting up to 10 seconds for it. */
    Generation next() {
        try {
            LedgerRecord r = records.poll(10, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("no ledger row within 10 s");
            }
            return (Generation) r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
