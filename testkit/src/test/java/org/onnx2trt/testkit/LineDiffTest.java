package org.onnx2trt.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void equalTextsHaveNoHunks() {
        assertEquals("", LineDiff.unified("a\nb\n", "a\nb\n", 2));
    }

    @Test
    void aChangedLineShowsWithItsContext() {
        String expected = "1\n2\n3\n4\n5\n6\n7\n";
        String actual = "1\n2\n3\nfour\n5\n6\n7\n";
        assertEquals("""
                @@ -2,5 +2,5 @@
                 2
                 3
                -4
                +four
                 5
                 6
                """, LineDiff.unified(expected, actual, 2));
    }

    @Test
    void distantChangesMakeSeparateHunksAndInsertionsCount() {
        String expected = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        String actual = "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        assertEquals("""
                @@ -1,2 +1,2 @@
                -a
                +A
                 b
                @@ -9,2 +9,3 @@
                 i
                +j
                \s
                """, LineDiff.unified(expected, actual, 1));
    }
}
