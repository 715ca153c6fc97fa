package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.testing.Rows;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RowQueueTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00.123456Z");

    @Test
    void aQueuedRowIsHeldAsItsTupleNotAsTheObject() throws Exception {
        RowQueue queue = new RowQueue(10);
        Generation row = Rows.chat(T);
        Generation copy = row.toBuilder().build();
        WeakReference<Generation> ref = new WeakReference<>(row);
        assertThat(queue.offer(row)).isTrue();
        row = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the queue let go of the row object").isNull();
        assertThat(queue.takeRecords()).containsExactly(copy);
    }

    @Test
    void aTakeTakesEverythingInOrderAndTheQueueGoesOnInTheSpareArray() {
        RowQueue queue = new RowQueue(100);
        Generation a = Rows.chat(T);
        Generation b = Rows.chat(T.plusSeconds(1));
        Finalization f = new Finalization("replicate", "pred-1", T.plusSeconds(2), 200, null, null, null);
        queue.offer(a);
        queue.offer(f);
        queue.offer(b);
        assertThat(queue.size()).isEqualTo(3);
        byte[] spare = new byte[RowQueue.INITIAL_BYTES];
        RowQueue.Taken t = queue.take(spare);
        assertThat(queue.size()).isZero();
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.others()).containsExactly(f);
        int second = CopyDecoder.end(t.bytes(), 0);
        assertThat(CopyDecoder.decode(t.bytes(), 0)).isEqualTo(a);
        assertThat(CopyDecoder.decode(t.bytes(), second)).isEqualTo(b);
        assertThat(CopyDecoder.end(t.bytes(), second)).isEqualTo(t.length());

        queue.offer(b);
        RowQueue.Taken next = queue.take(t.bytes());
        assertThat(next.bytes()).isSameAs(spare);
        assertThat(next.rows()).isEqualTo(1);
    }

    @Test
    void aFullQueueRefusesAndARowTheTupleCannotCarryIsQueuedAsItIs() throws Exception {
        RowQueue queue = new RowQueue(2);
        Generation far = Rows.chat(Instant.parse("+300000-01-01T00:00:00Z"));
        assertThat(queue.offer(Rows.chat(T))).isTrue();
        assertThat(queue.offer(far)).isTrue();
        assertThat(queue.offer(Rows.chat(T))).as("full").isFalse();
        assertThat(queue.await(1, TimeUnit.MILLISECONDS)).isTrue();
        RowQueue.Taken t = queue.take(null);
        assertThat(t.rows()).isEqualTo(1);
        assertThat(t.others()).isEqualTo(List.of(far));
        assertThat(queue.await(1, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void rowsWhoseTuplesWouldPassTheByteLimitAreRefusedAsWhenFull() {
        CopyEncoder e = new CopyEncoder(true);
        e.add(Rows.chat(T));
        int one = e.length();
        RowQueue queue = new RowQueue(1_000, 2 * one + one / 2);
        assertThat(queue.offer(Rows.chat(T))).isTrue();
        assertThat(queue.offer(Rows.chat(T))).as("grows to the limit").isTrue();
        assertThat(queue.offer(Rows.chat(T))).as("past the limit").isFalse();
        assertThat(queue.take(null).rows()).isEqualTo(2);
        assertThat(queue.offer(Rows.chat(T))).isTrue();
    }
}
