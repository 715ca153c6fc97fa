package dev.genledger.api;

import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerRows;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Ledger rows: one generation, a page of them, the CSV export, and an article's lineage. */
final class GenerationQuery {
    /** Rows fetched per round trip by the CSV export's cursor: memory stays constant, whatever the count. */
    static final int CSV_FETCH_SIZE = 1_000;

    private final Db db;

    GenerationQuery(Db db) {
        this.db = db;
    }

    GenerationPage page(Window w, Filters f, Cursor after, int limit) {
        List<Generation> rows = db.query(DashboardSql.generations(w, f, after, limit + 1), GenerationQuery::readAll);
        if (rows.size() <= limit) {
            return new GenerationPage(rows, null);
        }
        List<Generation> page = rows.subList(0, limit);
        Generation last = page.get(limit - 1);
        return new GenerationPage(List.copyOf(page), new Cursor(last.startedAt(), last.id()).encode());
    }

    Generation one(UUID id) {
        if (id.version() != 7) {
            throw notFound(id); // the gateway makes every id as a UUIDv7
        }
        List<Generation> rows = db.query(DashboardSql.generation(id), GenerationQuery::readAll);
        if (rows.isEmpty()) {
            throw notFound(id);
        }
        return rows.get(0);
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("no generation with id " + id + " in the ledger");
    }

    /**
     * Streams the window's rows as CSV, newest first, through a server-side cursor (autocommit off,
     * a fetch size): neither the database driver nor this process holds more than a fetch of rows.
     */
    void csv(Window w, Filters f, Cursor after, Integer limit, OutputStream out) {
        db.withConnection(c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = Db.prepare(c, DashboardSql.generations(w, f, after, limit))) {
                ps.setFetchSize(CSV_FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                    writer.write(CsvExport.HEADER);
                    while (rs.next()) {
                        CsvExport.writeRow(writer, LedgerRows.read(rs));
                    }
                    writer.flush();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    ArticleView article(String articleId) {
        return db.withConnection((Connection c) -> {
            ArticleView meta = Db.query(c, DashboardSql.article(articleId), rs -> rs.next()
                    ? new ArticleView(rs.getString("article_id"), rs.getString("title"), rs.getString("category"),
                            rs.getString("content_product"), rs.getString("url"),
                            instant(rs.getTimestamp("published_at")), instant(rs.getTimestamp("first_seen_at")),
                            null, 0, 0, List.of())
                    : null);
            List<Generation> lineage = Db.query(c, DashboardSql.lineage(articleId), GenerationQuery::readAll);
            if (meta == null && lineage.isEmpty()) {
                throw ApiException.notFound("no article with id '" + articleId + "' in the ledger; articles appear "
                        + "with their first X-Article-Id or a PUT /api/v1/articles/{id}");
            }
            BigDecimal total = BigDecimal.ZERO;
            long tokens = 0;
            long unpriced = 0;
            for (Generation g : lineage) {
                if (g.cost().priced()) {
                    total = total.add(g.cost().costUsd());
                } else if (g.state() == Generation.State.COMPLETE) {
                    unpriced++;
                }
                tokens += g.usage().inputTokens() + g.usage().outputTokens();
            }
            return meta == null
                    ? new ArticleView(articleId, null, null, null, null, null, null, Decimals.sum(total), tokens,
                            unpriced, lineage)
                    : new ArticleView(meta.articleId(), meta.title(), meta.category(), meta.contentProduct(), meta.url(),
                            meta.publishedAt(), meta.firstSeenAt(), Decimals.sum(total), tokens, unpriced, lineage);
        });
    }

    private static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }

    private static List<Generation> readAll(ResultSet rs) throws java.sql.SQLException {
        List<Generation> out = new ArrayList<>();
        while (rs.next()) {
            out.add(LedgerRows.read(rs));
        }
        return out;
    }
}
