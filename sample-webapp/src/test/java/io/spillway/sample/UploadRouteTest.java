package io.spillway.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UploadRouteTest {

    @Test
    void of_withoutFacts_isNone() {
        assertEquals(new UploadRoute("NONE", "the request carried no spillway facts"), UploadRoute.of(null));
    }

    @Test
    void of_readsTheKindThatComesFirst() {
        UploadRoute route = UploadRoute.of("STREAMED: 3.0 GiB > 50% of 812 MiB available (not BUFFERED)");

        assertEquals("STREAMED", route.kind());
        assertEquals("STREAMED: 3.0 GiB > 50% of 812 MiB available (not BUFFERED)", route.reason());
    }

    @Test
    void of_textWithoutAKind_isUnknown() {
        assertEquals("UNKNOWN", UploadRoute.of(new Object() {
            @Override
            public String toString() {
                return "something else";
            }
        }).kind());
    }
}
