package dev.kizuna.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rows of a multi-row statement go in chunks of a few sizes, so that the statement has a few texts. */
class StatementChunksTest {

    @Test
    void rowsAreSplitIntoPowersOfTwoLargestFirstAndKeepTheirOrder() {
        List<Integer> rows = IntStream.range(0, 100).boxed().toList();
        List<List<Integer>> chunks = StatementChunks.of(rows, 1000);
        assertEquals(List.of(64, 32, 4), chunks.stream().map(List::size).toList());
        assertEquals(rows, chunks.stream().flatMap(List::stream).toList());
    }

    @Test
    void noChunkIsLargerThanTheLargestAllowedRoundedDownToAPowerOfTwo() {
        List<List<Integer>> chunks =
                StatementChunks.of(IntStream.range(0, 1100).boxed().toList(), 1000);
        assertEquals(
                List.of(512, 512, 64, 8, 4), chunks.stream().map(List::size).toList());
    }

    @Test
    void noRowsNoChunks() {
        assertEquals(List.of(), StatementChunks.of(List.of(), 500));
        assertEquals(List.of(List.of("one")), StatementChunks.of(List.of("one"), 500));
    }
}
