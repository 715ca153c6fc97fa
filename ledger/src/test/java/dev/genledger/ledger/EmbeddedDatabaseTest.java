package dev.genledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.ledger.testing.Rows;
import dev.genledger.pricing.Pricer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDefaultKeepsItsDataAcrossRestarts() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        Generation g = Rows.chat(Instant.parse("2026-11-14T09:00:00Z"));
        try (LedgerDatabase db = LedgerDatabase.open(null, null, null, 4, pgDir)) {
            assertThat(db.embedded()).isTrue();
            assertThat(db.description()).contains("embedded PostgreSQL").contains(pgDir.getFileName().toString());
            LedgerWriter w = LedgerWriter.start(db.dataSource(), Pricer.NONE, LedgerSettings.defaults(dataDir));
            w.offer(g);
            assertThat(w.drain(Duration.ofSeconds(30))).isTrue();
            w.close();
            // the ledger's database keeps PostgreSQL's durable settings
            try (var c = db.dataSource().getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
                assertThat(rs.getString(2)).isEqualTo("on");
            }
        }
        try (LedgerDatabase db = LedgerDatabase.open(null, null, null, 4, pgDir)) {
            assertThat(Rows.count(db.dataSource(), "SELECT count(*) FROM generation WHERE id = '" + g.id() + "'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void anExternalDatabaseThatCannotBeReachedFailsWithAClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        LedgerDatabase.open("jdbc:postgresql://127.0.0.1:1/ledger?password=hunter2", "u", "p", 2, null))
                .hasMessageStartingWith("cannot connect to the database at jdbc:postgresql://127.0.0.1:1/ledger?password=****")
                .hasMessageContaining("GENLEDGER_DATABASE_URL")
                .message().doesNotContain("hunter2");
    }
}
