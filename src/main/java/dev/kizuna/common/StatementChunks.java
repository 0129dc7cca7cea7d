package dev.kizuna.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the rows of a multi-row statement into chunks whose sizes are powers of two (64 + 32 + 4
 * for 100 rows). A statement's text follows its row count: with any count allowed, a busy
 * instance sends hundreds of different texts, which the JDBC driver parses again each time (its
 * cache holds 256 per connection) and the database plans again each time. With powers of two
 * there are a dozen texts per statement, cached by the driver and prepared once by the database,
 * for a few more round trips.
 */
public final class StatementChunks {

    private StatementChunks() {}

    /** The rows in order, in chunks of at most {@code largest} rows (rounded down to a power of two), largest first. */
    public static <T> List<List<T>> of(List<T> rows, int largest) {
        int ceiling = Integer.highestOneBit(Math.max(1, largest));
        List<List<T>> chunks = new ArrayList<>();
        int from = 0;
        while (from < rows.size()) {
            int size = Math.min(ceiling, Integer.highestOneBit(rows.size() - from));
            chunks.add(rows.subList(from, from + size));
            from += size;
        }
        return chunks;
    }
}
