package dev.genledger.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Article metadata. Articles are created by the writer on first sight of an {@code X-Article-Id};
 * {@link #upsert} sets their metadata. A generation without its own category or content product
 * takes the article's, so changing them moves those generations' contribution in the rollups, in
 * the same transaction, while the writer waits.
 */
public final class ArticleStore {
    private final DataSource dataSource;

    public ArticleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Metadata of an article; every field but the id may be null. */
    public record Article(String articleId, String title, String category, String contentProduct, String url,
                          Instant publishedAt) {
        public Article {
            Objects.requireNonNull(articleId, "articleId");
        }
    }

    /** Creates or replaces an article's metadata. */
    public void upsert(Article a) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(LedgerSql.ARTICLE_LOCK);
                }
                boolean exists;
                String oldCategory = null;
                String oldProduct = null;
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.SELECT_ARTICLE_FOR_UPDATE)) {
                    ps.setString(1, a.articleId());
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                        if (exists) {
                            oldCategory = rs.getString(1);
                            oldProduct = rs.getString(2);
                        }
                    }
                }
                boolean moves = exists && (!Objects.equals(oldCategory, a.category())
                        || !Objects.equals(oldProduct, a.contentProduct()));
                if (moves) {
                    runWithArticle(c, LedgerSql.reattribute("-1"), a.articleId());
                }
                try (PreparedStatement ps = c.prepareStatement(LedgerSql.UPSERT_ARTICLE)) {
                    ps.setString(1, a.articleId());
                    ps.setString(2, a.title());
                    ps.setString(3, a.category());
                    ps.setString(4, a.contentProduct());
                    ps.setString(5, a.url());
                    ps.setTimestamp(6, a.publishedAt() == null ? null : Timestamp.from(a.publishedAt()));
                    ps.executeUpdate();
                }
                if (moves) {
                    runWithArticle(c, LedgerSql.reattribute("1"), a.articleId());
                    for (String prune : LedgerSql.PRUNE_EMPTY_ROLLUPS) {
                        runWithArticle(c, prune, a.articleId());
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void runWithArticle(Connection c, String sql, String articleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, articleId);
            ps.execute();
        }
    }
}
