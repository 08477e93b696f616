package io.spillway.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadFactsTest {

    @Test
    void ofLength_isKnownEvenWhenEmpty() {
        assertTrue(UploadFacts.ofLength(0).lengthKnown());
        assertEquals(0, UploadFacts.ofLength(0).declaredLength());
        assertTrue(UploadFacts.ofLength(Long.MAX_VALUE).lengthKnown());
    }

    @Test
    void unknownLength_isNotKnown() {
        assertFalse(UploadFacts.unknownLength().lengthKnown());
        assertEquals(UploadFacts.UNKNOWN_LENGTH, UploadFacts.unknownLength().declaredLength());
        assertEquals(-1, UploadFacts.UNKNOWN_LENGTH);
    }

    @Test
    void anyNegativeLength_isUnknown() {
        assertFalse(new UploadFacts(-5).lengthKnown());
    }
}
